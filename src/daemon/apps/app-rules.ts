import type { AppConfig } from '../../config/app-config.js';
import { SupError } from '../../errors.js';
import type { App } from './app.js';

/** A running app can take a new config in place unless it changes how its processes are launched. */
export function checkUpdatable(app: App, config: AppConfig): void {
  if (app.config.exec_mode !== config.exec_mode) {
    throw new SupError(
      'INVALID_CONFIG',
      `app "${config.name}" runs in ${app.config.exec_mode} mode and its file now says ${config.exec_mode}; use \`sup start --replace\` to replace it`,
    );
  }
}

/** The instance count `sup scale` asks for: "4", "+2" or "-1", never below one. */
export function targetCount(current: number, spec: string): number {
  const match = /^([+-]?)(\d+)$/.exec(spec.trim());
  if (!match) throw new SupError('USAGE', `scale takes a number, +N or -N, got "${spec}"`);
  const n = Number(match[2]);
  const to = match[1] === '+' ? current + n : match[1] === '-' ? current - n : n;
  if (to < 1) throw new SupError('USAGE', `an app keeps at least one instance (asked for ${to}); use \`sup stop\` to stop it`);
  return to;
}
