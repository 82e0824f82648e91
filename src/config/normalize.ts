import { basename, extname, resolve } from 'node:path';
import { SupError } from '../errors.js';
import { APP_DEFAULTS, type AppConfig, type HealthCheck } from './app-config.js';
import { ENV_BLOCK, FIELDS, type FieldName } from './fields.js';
import { canonicalKeys, OUT_OF_SCOPE, REFUSED, splitCommandLine, topLevelWarnings } from './pm2-compat.js';
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
  /** What the loader finds on disk; without it, scripts are taken as written. */
  files?: FileProbe;
}

export interface FileProbe {
  isFile(path: string): boolean;
  /** The interpreter a file without a known extension asks for in its #! line. */
  shebang(path: string): string | undefined;
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

const KNOWN_KEYS = [...Object.keys(FIELDS), ...OUT_OF_SCOPE, ...Object.keys(REFUSED)];

/** Editors' schema reference: allowed anywhere, means nothing to sup. */
const SCHEMA_KEY = '$schema';

/** Turns a parsed ecosystem document (or the CLI's one app) into resolved configs, or throws one error listing every problem. */
export function normalizeApps(doc: unknown, ctx: NormalizeContext): NormalizeResult {
  const rawApps = extractApps(doc, ctx.source);
  const errors: string[] = [];
  const warnings: string[] = isObject(doc) && 'apps' in doc ? topLevelWarnings(doc, ctx.source) : [];
  const apps: AppConfig[] = [];
  rawApps.forEach((raw, index) => {
    const label = appLabel(ctx.source, index, raw, rawApps.length);
    const app = normalizeApp(raw, ctx, label, errors, warnings);
    if (app) apps.push(app);
  });
  if (ctx.envName && !rawApps.some((raw) => `env_${ctx.envName}` in raw)) {
    warnings.push(`${ctx.source}: --env ${ctx.envName}: no app has an "env_${ctx.envName}" block`);
  }
  const seen = new Set<string>();
  for (const app of apps) {
    if (seen.has(app.name)) errors.push(`${ctx.source}: two apps are named "${app.name}"; names must be unique`);
    seen.add(app.name);
  }
  if (errors.length > 0) throw new SupError('INVALID_CONFIG', errors.join('\n'));
  return { apps, warnings };
}

function extractApps(doc: unknown, source: string): Record<string, unknown>[] {
  if (doc === undefined || doc === null)
    throw new SupError('INVALID_CONFIG', `${source}: the file defines no apps (it is empty or exports nothing)`);
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
  const before = errors.length;
  const input: Record<string, unknown> = { ...canonicalKeys(raw, label, errors), ...ctx.overrides };
  const parsed: Partial<Record<FieldName, unknown>> = {};

  for (const [key, value] of Object.entries(input)) {
    if (value === undefined || key === SCHEMA_KEY) continue;
    if (key in FIELDS) {
      const spec = FIELDS[key as FieldName];
      const result = spec.schema.safeParse(value);
      if (result.success) parsed[key as FieldName] = result.data;
      else errors.push(`${label}: ${describePath(key, result.error.issues[0]?.path)} must be ${spec.expected}, got ${show(value)}`);
    } else if (ENV_BLOCK.test(key)) {
      const result = FIELDS.env.schema.safeParse(value);
      if (!result.success) errors.push(`${label}: ${key} must be ${FIELDS.env.expected}, got ${show(value)}`);
    } else if (key in REFUSED) {
      errors.push(`${label}: "${key}" is not supported: ${REFUSED[key]}`);
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
  const inCwd = (file: string) => resolve(ctx.baseDir, (parsed.cwd as string | undefined) ?? '.', file);
  const command = splitCommandLine(parsed.script, parsed.args as string[] | undefined, (s) => ctx.files?.isFile(inCwd(s)) ?? true);
  const script = command.script;
  const interpreter =
    (parsed.interpreter as string | undefined) ?? INTERPRETERS[extname(script)] ?? ctx.files?.shebang(inCwd(script)) ?? 'none';
  // As PM2 does: asking for instances of a Node script means cluster mode unless exec_mode says otherwise.
  const execMode =
    (parsed.exec_mode as 'fork' | 'cluster' | undefined) ?? (parsed.instances !== undefined && interpreter === 'node' ? 'cluster' : 'fork');
  if (execMode === 'cluster' && interpreter !== 'node') {
    errors.push(`${label}: exec_mode "cluster" runs Node scripts only, but the interpreter is "${interpreter}"; use exec_mode "fork"`);
    return undefined;
  }

  // PM2's `port` sets env.PORT, over env (0 means none).
  const port: Record<string, string> = parsed.port === undefined || Number(parsed.port) === 0 ? {} : { PORT: String(parsed.port) };
  let env = { ...((parsed.env as Record<string, string> | undefined) ?? {}), ...port };
  if (ctx.envName) {
    const key = `env_${ctx.envName}`;
    const block = key in FIELDS ? undefined : input[key];
    if (block !== undefined) env = { ...env, ...(FIELDS.env.schema.parse(block) as Record<string, string>) };
  }
  const cwd = resolve(ctx.baseDir, (parsed.cwd as string | undefined) ?? '.');
  // A bare command name with interpreter "none" is looked up on PATH later; anything else is a path.
  const isBareCommand = interpreter === 'none' && !script.includes('/') && !script.includes('\\');

  // The field schemas already produce final values; only resolved and derived keys are spelled out.
  const {
    node_args,
    combine_logs,
    port: _port,
    disable_source_map_support,
    health_check,
    ...direct
  } = parsed as Partial<Omit<AppConfig, 'health_check'>> & {
    node_args?: string[];
    combine_logs?: boolean;
    port?: number;
    disable_source_map_support?: boolean;
    health_check?: Partial<HealthCheck>;
  };
  return {
    ...APP_DEFAULTS,
    ...direct,
    name: direct.name ?? defaultName(script),
    script: isBareCommand ? script : resolve(cwd, script),
    args: command.args ?? [],
    interpreter,
    interpreter_args: direct.interpreter_args ?? node_args ?? [],
    cwd,
    env,
    instances,
    exec_mode: execMode,
    stop_exit_codes: direct.stop_exit_codes ?? [],
    watch: watchPaths(parsed.watch as boolean | string[] | undefined, cwd),
    ignore_watch: direct.ignore_watch ?? [...APP_DEFAULTS.ignore_watch],
    out_file: logPath(direct.out_file, cwd),
    error_file: logPath(direct.error_file, cwd),
    log_file: direct.log_file ? resolve(cwd, direct.log_file) : null,
    env_file: direct.env_file ? resolve(cwd, direct.env_file) : null,
    merge_logs: direct.merge_logs ?? combine_logs ?? false,
    health_check: health_check ? withHealthDefaults(health_check) : null,
    source_map_support: disable_source_map_support ? false : (direct.source_map_support ?? APP_DEFAULTS.source_map_support),
  };
}

// Docker's HEALTHCHECK words, with timings that suit a process supervisor (Docker's are 30 s).
const HEALTH_DEFAULTS = { interval: 10_000, timeout: 5000, retries: 3, start_period: 0 };

function withHealthDefaults(check: Partial<HealthCheck>): HealthCheck {
  return { http: check.http ?? null, tcp: check.tcp ?? null, command: check.command ?? null, ...HEALTH_DEFAULTS, ...definedOnly(check) };
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** PM2 writes "NULL" for "no file". */
function logPath(path: string | null | undefined, cwd: string): string | null {
  if (!path) return null;
  return path === 'NULL' ? '/dev/null' : resolve(cwd, path);
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
