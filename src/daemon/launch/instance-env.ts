import { incremented } from '../../config/increment-var.js';
import type { AppConfig } from '../../config/app-config.js';
import { SUP_ENV } from '../../env.js';

/**
 * The environment an instance sees: the starting CLI's env, the app's env, then sup's own variables
 * (`supEnv`: the daemon's marks, SUP_HOME and SUP_DAEMON_PID, by which a later daemon finds what an earlier one left).
 */
export function instanceEnv(
  baseEnv: Readonly<Record<string, string>>,
  config: AppConfig,
  id: number,
  index: number,
  supEnv: Readonly<Record<string, string>> = {},
): Record<string, string> {
  const env: Record<string, string> = {
    ...baseEnv,
    ...config.env,
    ...supEnv,
    [config.instance_var]: String(index),
    [SUP_ENV.appName]: config.name,
    [SUP_ENV.id]: String(id),
    // PM2 apps read these; keep them so that they run unchanged.
    pm_id: String(id),
    name: config.name,
  };
  if (config.increment_var) env[config.increment_var] = String(incremented(env[config.increment_var], index));
  if (config.interpreter === 'node' || config.exec_mode === 'cluster') env[SUP_ENV.runtime] = '1';
  if (config.watchdog > 0 && config.interpreter === 'node') env[SUP_ENV.watchdog] = String(config.watchdog);
  if (config.exec_mode === 'cluster' && usesProbePort(config)) env[SUP_ENV.healthProbe] = '1';
  if (config.exec_mode === 'cluster' && !config.drain_http) env[SUP_ENV.drainHttp] = '0';
  // Python buffers stdout when it is a pipe: lines would reach the log late or be lost in a crash (PM2 sets it too).
  const python = /python/.test(config.interpreter) || (config.interpreter === 'none' && /python[\d.]*$/.test(config.script));
  if (python && env.PYTHONUNBUFFERED === undefined) env.PYTHONUNBUFFERED = '1';
  return env;
}

/** Cluster workers are probed on a port of their own when the check is on the app's port: a path, or tcp. */
export function usesProbePort(config: AppConfig): boolean {
  const check = config.health_check;
  return config.exec_mode === 'cluster' && check !== null && (check.tcp !== null || (check.http?.startsWith('/') ?? false));
}
