import { basename, extname, resolve } from 'node:path';
import { SupError } from '../errors.js';
import { APP_DEFAULTS, type AppConfig } from './app-config.js';
import { ENV_BLOCK, FIELDS, NOT_YET_SUPPORTED, OUT_OF_SCOPE, type FieldName } from './fields.js';
import { closest, resolveInstances } from './units.js';

export interface NormalizeContext {
  /** How errors name the source: a file path, or "command line". */
  source: string;
  /** Relative `cwd` and `script` resolve against this (the ecosystem file's folder, or the CLI's cwd). */
  baseDir: string;
  cpuCount: number;
  /** `--env production` merges env_production over env. */
  envName?: string | undefined;
  /** Values from CLI flags; they win over the file. */
  overrides?: Record<string, unknown>;
}

export interface NormalizeResult {
  apps: AppConfig[];
  warnings: string[];
}

// PM2 picks the interpreter from the script's extension.
const INTERPRETERS: Record<string, string> = {
  '.js': 'node',
  '.cjs': 'node',
  '.mjs': 'node',
  '.py': 'python3',
  '.sh': 'bash',
  '.rb': 'ruby',
  '.php': 'php',
  '.pl': 'perl',
};

// Far above any machine's sensible count; a typo like 1e20 should not try to fork forever.
const MAX_INSTANCES = 4096;

const KNOWN_KEYS = [...Object.keys(FIELDS), ...NOT_YET_SUPPORTED, ...OUT_OF_SCOPE];

/** Turns a parsed ecosystem document (or the CLI's one app) into resolved configs, or throws one error listing every problem. */
export function normalizeApps(doc: unknown, ctx: NormalizeContext): NormalizeResult {
  const rawApps = extractApps(doc, ctx.source);
  const errors: string[] = [];
  const warnings: string[] = [];
  const apps: AppConfig[] = [];
  rawApps.forEach((raw, index) => {
    const label = appLabel(ctx.source, index, raw, rawApps.length);
    const app = normalizeApp(raw, ctx, label, errors, warnings);
    if (app) apps.push(app);
  });
  const seen = new Set<string>();
  for (const app of apps) {
    if (seen.has(app.name)) errors.push(`${ctx.source}: two apps are named "${app.name}"; names must be unique`);
    seen.add(app.name);
  }
  if (errors.length > 0) throw new SupError('INVALID_CONFIG', errors.join('\n'));
  return { apps, warnings };
}

function extractApps(doc: unknown, source: string): Record<string, unknown>[] {
  const apps = isObject(doc) && 'apps' in doc ? doc.apps : doc;
  const list = Array.isArray(apps) ? apps : [apps];
  if (list.length === 0) throw new SupError('INVALID_CONFIG', `${source}: "apps" is empty; expected at least one app`);
  list.forEach((app, i) => {
    if (!isObject(app)) {
      throw new SupError('INVALID_CONFIG', `${source}: apps[${i}] must be an object with at least "script", got ${show(app)}`);
    }
  });
  return list as Record<string, unknown>[];
}

function normalizeApp(
  raw: Record<string, unknown>,
  ctx: NormalizeContext,
  label: string,
  errors: string[],
  warnings: string[],
): AppConfig | undefined {
  const input: Record<string, unknown> = { ...raw, ...ctx.overrides };
  const parsed: Partial<Record<FieldName, unknown>> = {};
  const before = errors.length;

  for (const [key, value] of Object.entries(input)) {
    if (value === undefined) continue;
    if (key in FIELDS) {
      const spec = FIELDS[key as FieldName];
      const result = spec.schema.safeParse(value);
      if (result.success) parsed[key as FieldName] = result.data;
      else errors.push(`${label}: ${describePath(key, result.error.issues[0]?.path)} must be ${spec.expected}, got ${show(value)}`);
    } else if ((NOT_YET_SUPPORTED as readonly string[]).includes(key)) {
      warnings.push(`${label}: "${key}" is not supported by this version of sup yet and is ignored`);
    } else if (ENV_BLOCK.test(key)) {
      const result = FIELDS.env.schema.safeParse(value);
      if (!result.success) errors.push(`${label}: ${key} must be ${FIELDS.env.expected}, got ${show(value)}`);
    } else if ((OUT_OF_SCOPE as readonly string[]).includes(key)) {
      warnings.push(`${label}: "${key}" is a PM2 key outside sup's scope and is ignored`);
    } else {
      const guess = closest(key, KNOWN_KEYS);
      errors.push(`${label}: unknown key "${key}"${guess ? `; did you mean "${guess}"?` : ''}`);
    }
  }

  if (typeof parsed.script !== 'string') {
    if (input.script === undefined) errors.push(`${label}: "script" is required (the file or program to run)`);
    return undefined;
  }
  const instances = resolveInstances(parsed.instances ?? APP_DEFAULTS.instances, ctx.cpuCount);
  if (instances === undefined) return undefined;
  if (instances > MAX_INSTANCES) errors.push(`${label}: instances must be at most ${MAX_INSTANCES}, got ${show(input.instances)}`);
  if (errors.length > before) return undefined;
  const script = parsed.script;
  const interpreter = (parsed.interpreter as string | undefined) ?? INTERPRETERS[extname(script)] ?? 'none';
  // As PM2 does: asking for instances of a Node script means cluster mode unless exec_mode says otherwise.
  const execMode = (parsed.exec_mode as 'fork' | 'cluster' | undefined) ?? (parsed.instances !== undefined && interpreter === 'node' ? 'cluster' : 'fork');
  if (execMode === 'cluster' && interpreter !== 'node') {
    errors.push(`${label}: exec_mode "cluster" runs Node scripts only, but the interpreter is "${interpreter}"; use exec_mode "fork"`);
    return undefined;
  }

  let env = (parsed.env as Record<string, string> | undefined) ?? {};
  if (ctx.envName) {
    const block = input[`env_${ctx.envName}`];
    if (block !== undefined) env = { ...env, ...(FIELDS.env.schema.parse(block) as Record<string, string>) };
  }
  const cwd = resolve(ctx.baseDir, (parsed.cwd as string | undefined) ?? '.');
  // A bare command name with interpreter "none" is looked up on PATH later; anything else is a path.
  const isBareCommand = interpreter === 'none' && !script.includes('/') && !script.includes('\\');

  return {
    ...APP_DEFAULTS,
    name: (parsed.name as string | undefined) ?? defaultName(script),
    namespace: (parsed.namespace as string | undefined) ?? APP_DEFAULTS.namespace,
    script: isBareCommand ? script : resolve(cwd, script),
    args: (parsed.args as string[] | undefined) ?? [],
    interpreter,
    interpreter_args: (parsed.interpreter_args ?? parsed.node_args ?? []) as string[],
    cwd,
    env,
    instances,
    exec_mode: execMode,
    instance_var: (parsed.instance_var as string | undefined) ?? APP_DEFAULTS.instance_var,
    autorestart: (parsed.autorestart as boolean | undefined) ?? APP_DEFAULTS.autorestart,
    max_restarts: (parsed.max_restarts as number | undefined) ?? APP_DEFAULTS.max_restarts,
    min_uptime: (parsed.min_uptime as number | undefined) ?? APP_DEFAULTS.min_uptime,
    restart_delay: (parsed.restart_delay as number | undefined) ?? APP_DEFAULTS.restart_delay,
    exp_backoff_restart_delay: (parsed.exp_backoff_restart_delay as number | undefined) ?? 0,
    kill_timeout: (parsed.kill_timeout as number | undefined) ?? APP_DEFAULTS.kill_timeout,
    kill_signal: (parsed.kill_signal as string | undefined) ?? APP_DEFAULTS.kill_signal,
    shutdown_with_message: (parsed.shutdown_with_message as boolean | undefined) ?? APP_DEFAULTS.shutdown_with_message,
    wait_ready: (parsed.wait_ready as boolean | undefined) ?? APP_DEFAULTS.wait_ready,
    listen_timeout: (parsed.listen_timeout as number | undefined) ?? APP_DEFAULTS.listen_timeout,
    increment_var: (parsed.increment_var as string | undefined) ?? APP_DEFAULTS.increment_var,
    drain_http: (parsed.drain_http as boolean | undefined) ?? APP_DEFAULTS.drain_http,
    max_memory_restart: (parsed.max_memory_restart as number | undefined) ?? APP_DEFAULTS.max_memory_restart,
    watch: watchPaths(parsed.watch as boolean | string[] | undefined, cwd),
    ignore_watch: (parsed.ignore_watch as string[] | undefined) ?? [...APP_DEFAULTS.ignore_watch],
    watch_delay: (parsed.watch_delay as number | undefined) ?? APP_DEFAULTS.watch_delay,
    cron_restart: (parsed.cron_restart as string | undefined) ?? APP_DEFAULTS.cron_restart,
    stop_exit_codes: (parsed.stop_exit_codes as number[] | undefined) ?? [],
    out_file: parsed.out_file ? resolve(cwd, parsed.out_file as string) : null,
    error_file: parsed.error_file ? resolve(cwd, parsed.error_file as string) : null,
    merge_logs: ((parsed.merge_logs ?? parsed.combine_logs) as boolean | undefined) ?? false,
    log_file: parsed.log_file ? resolve(cwd, parsed.log_file as string) : null,
    time: (parsed.time as boolean | undefined) ?? APP_DEFAULTS.time,
    log_date_format: (parsed.log_date_format as string | undefined) ?? APP_DEFAULTS.log_date_format,
    disable_logs: (parsed.disable_logs as boolean | undefined) ?? APP_DEFAULTS.disable_logs,
    log_max_size: (parsed.log_max_size as number | undefined) ?? APP_DEFAULTS.log_max_size,
    log_retain: (parsed.log_retain as number | undefined) ?? APP_DEFAULTS.log_retain,
    log_compress: (parsed.log_compress as boolean | undefined) ?? APP_DEFAULTS.log_compress,
  };
}

/** watch: true means the app's cwd; relative paths and globs resolve against cwd. */
function watchPaths(watch: boolean | string[] | undefined, cwd: string): string[] {
  if (watch === undefined || watch === false) return [];
  if (watch === true) return [cwd];
  return watch.map((p) => resolve(cwd, p));
}

function defaultName(script: string): string {
  const base = basename(script, extname(script)) || 'app';
  return /^\d+$/.test(base) || base === 'all' ? `app-${base}` : base.replace(/\s+/g, '-');
}

function appLabel(source: string, index: number, raw: Record<string, unknown>, total: number): string {
  const name = typeof raw.name === 'string' ? ` "${raw.name}"` : '';
  return total === 1 && source === 'command line' ? source : `${source}: apps[${index}]${name}`;
}

function describePath(key: string, path: readonly PropertyKey[] | undefined): string {
  const rest = (path ?? []).map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
  return key + rest;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
