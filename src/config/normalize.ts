import { SupError } from '../errors.js';
import type { AppConfig } from './app-config.js';
import { typeScriptSupport } from './app-runner.js';
import { type AppContext, normalizeApp, show } from './normalize-app.js';
import { topLevelWarnings } from './pm2-compat.js';

export type { FileProbe } from './app-runner.js';

export type NormalizeContext = Omit<AppContext, 'callerDir' | 'typescript'> & Partial<Pick<AppContext, 'callerDir' | 'typescript'>>;

export interface NormalizeResult {
  apps: AppConfig[];
  warnings: string[];
}

/** Turns a parsed ecosystem document (or the CLI's one app) into resolved configs, or throws one error listing every problem. */
export function normalizeApps(doc: unknown, context: NormalizeContext): NormalizeResult {
  const ctx: AppContext = { callerDir: context.baseDir, typescript: typeScriptSupport(), ...context };
  const rawApps = extractApps(doc, ctx.source);
  const found = {
    errors: [] as string[],
    warnings: isObject(doc) && !Array.isArray(doc) && hasApps(doc) ? topLevelWarnings(doc, ctx.source) : [],
  };
  const apps: AppConfig[] = [];
  rawApps.forEach((raw, index) => {
    const app = normalizeApp(raw, ctx, appLabel(ctx.source, index, raw, rawApps.length), found);
    if (app) apps.push(app);
  });
  if (ctx.envName && !rawApps.some((raw) => `env_${ctx.envName}` in raw)) {
    found.warnings.push(`${ctx.source}: --env ${ctx.envName}: no app has an "env_${ctx.envName}" block`);
  }
  const seen = new Set<string>();
  for (const app of apps) {
    if (seen.has(app.name)) found.errors.push(`${ctx.source}: two apps are named "${app.name}"; names must be unique`);
    seen.add(app.name);
  }
  if (found.errors.length > 0) throw new SupError('INVALID_CONFIG', found.errors.join('\n'));
  return { apps, warnings: found.warnings };
}

/** PM2 reads the apps from `apps`, or from `pm2` (its older name), or takes the document as one app or a list. */
function hasApps(doc: Record<string, unknown>): boolean {
  return 'apps' in doc || ('pm2' in doc && !('script' in doc));
}

function extractApps(doc: unknown, source: string): Record<string, unknown>[] {
  if (doc === undefined || doc === null)
    throw new SupError('INVALID_CONFIG', `${source}: the file defines no apps (it is empty or exports nothing)`);
  const apps = isObject(doc) && hasApps(doc) ? ('apps' in doc ? doc.apps : doc.pm2) : doc;
  const list = Array.isArray(apps) ? apps : [apps];
  if (list.length === 0) throw new SupError('INVALID_CONFIG', `${source}: "apps" is empty; expected at least one app`);
  list.forEach((app, i) => {
    if (!isObject(app)) {
      throw new SupError('INVALID_CONFIG', `${source}: apps[${i}] must be an object with at least "script", got ${show(app)}`);
    }
  });
  return list as Record<string, unknown>[];
}

function appLabel(source: string, index: number, raw: Record<string, unknown>, total: number): string {
  const name = typeof raw.name === 'string' || typeof raw.name === 'number' ? ` "${raw.name}"` : '';
  return total === 1 && source === 'command line' ? source : `${source}: apps[${index}]${name}`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
