import { basename, extname, join, resolve } from 'node:path';
import { APP_DEFAULTS, type AppConfig, type HealthCheck } from './app-config.js';
import { canonicalKeys, classifyKey } from './app-keys.js';
import { type FileProbe, resolveRunner, type TypeScriptSupport } from './app-runner.js';
import { ENV_BLOCK, FIELDS, type FieldName } from './fields.js';
import { resolveInstances } from './units.js';
import { type AccountProbe, resolveAccount, SYSTEM_ACCOUNTS } from './users.js';

export interface AppContext {
  /** How errors name the source: a file path, or "command line". */
  source: string;
  /** Relative `cwd` and `script` resolve against this (the ecosystem file's folder, or the CLI's cwd). */
  baseDir: string;
  /** The folder `sup` was run from: PM2 resolves a file's relative paths against it, so sup tries it second. */
  callerDir: string;
  cpuCount: number;
  /** `--env production` merges env_production over env. */
  envName?: string | undefined;
  /** Values from CLI flags; they win over the file. */
  overrides?: Record<string, unknown>;
  /** What the loader finds on disk; without it, scripts are taken as written. */
  files?: FileProbe | undefined;
  typescript: TypeScriptSupport;
  /** SUP_HOME's logs folder, for `log_file: true`. */
  logsDir?: string | undefined;
  /** Where user and group names are looked up (the machine's own by default). */
  accounts?: AccountProbe | undefined;
}

/** Where one app's problems go: every error is collected so that one run reports them all. */
export interface Findings {
  errors: string[];
  warnings: string[];
}

// Far above any machine's sensible count; a typo like 1e20 should not try to fork forever.
const MAX_INSTANCES = 4096;

/** Editors' schema reference: allowed anywhere, means nothing to sup. */
const SCHEMA_KEY = '$schema';

type Parsed = Partial<Record<FieldName, unknown>>;

/** One app of a document, resolved; undefined when it has errors (added to `found.errors`). */
export function normalizeApp(raw: Record<string, unknown>, ctx: AppContext, label: string, found: Findings): AppConfig | undefined {
  const before = found.errors.length;
  const input: Record<string, unknown> = { ...canonicalKeys(raw, label, found.errors), ...ctx.overrides };
  const parsed = parseKeys(input, label, found);

  if (typeof parsed.script !== 'string') {
    if (input.script === undefined) found.errors.push(`${label}: "script" is required (the file or program to run)`);
    return undefined;
  }
  const instances = resolveInstances(parsed.instances ?? APP_DEFAULTS.instances, ctx.cpuCount);
  if (instances === undefined) return undefined;
  if (instances > MAX_INSTANCES) found.errors.push(`${label}: instances must be at most ${MAX_INSTANCES}, got ${show(input.instances)}`);
  const runner = resolveRunner(
    {
      script: parsed.script,
      args: parsed.args as string[] | undefined,
      cwd: parsed.cwd as string | undefined,
      interpreter: parsed.interpreter as string | undefined,
      interpreter_args: (parsed.interpreter_args ?? parsed.node_args) as string[] | undefined,
    },
    ctx,
  );
  if ('error' in runner) found.errors.push(`${label}: ${runner.error}`);
  const uid = resolveAccount(parsed.uid as number | string | undefined, 'uid', ctx.accounts ?? SYSTEM_ACCOUNTS);
  const gid = resolveAccount(parsed.gid as number | string | undefined, 'gid', ctx.accounts ?? SYSTEM_ACCOUNTS);
  for (const account of [uid, gid]) if ('error' in account) found.errors.push(`${label}: ${account.error}`);
  if (found.errors.length > before || 'error' in runner || 'error' in uid || 'error' in gid) return undefined;

  const mode = decideExecMode(parsed, runner.interpreter, instances);
  if (mode.warning) found.warnings.push(`${label}: ${mode.warning}`);
  const { shellLine, ...run } = runner;
  const { cwd } = run;
  // The field schemas already produce final values; only resolved and derived keys are spelled out.
  const {
    node_args: _nodeArgs,
    combine_logs,
    port,
    disable_source_map_support,
    health_check,
    execute_command: _execute,
    name_prefix,
    append_env_to_name,
    ...direct
  } = parsed as Partial<Omit<AppConfig, 'health_check'>> & {
    node_args?: string[];
    combine_logs?: boolean;
    port?: number;
    disable_source_map_support?: boolean;
    health_check?: Partial<HealthCheck>;
    execute_command?: boolean;
    name_prefix?: string;
    append_env_to_name?: boolean;
  };
  const baseName = direct.name ?? defaultName(shellLine ? parsed.script : runner.script);
  const envSuffix = append_env_to_name && ctx.envName ? `-${ctx.envName}` : '';
  const name = `${name_prefix ?? ''}${baseName}${envSuffix}`;
  return {
    ...APP_DEFAULTS,
    ...direct,
    ...run,
    name,
    uid: uid.id,
    gid: gid.id,
    env: appEnv(parsed, input, port, ctx.envName),
    instances,
    exec_mode: mode.mode,
    stop_exit_codes: direct.stop_exit_codes ?? [],
    watch: watchPaths(parsed.watch as boolean | string[] | undefined, cwd),
    ignore_watch: direct.ignore_watch ?? [...APP_DEFAULTS.ignore_watch],
    out_file: logPath(direct.out_file, cwd),
    error_file: logPath(direct.error_file, cwd),
    log_file: combinedLog(direct.log_file as string | boolean | null | undefined, cwd, name, ctx.logsDir),
    env_file: direct.env_file ? resolve(cwd, direct.env_file) : null,
    merge_logs: direct.merge_logs ?? combine_logs ?? false,
    health_check: health_check ? withHealthDefaults(health_check) : null,
    source_map_support: disable_source_map_support ? false : (direct.source_map_support ?? APP_DEFAULTS.source_map_support),
  };
}

/** Every key checked against its schema; PM2 keys sup ignores are warned about, unknown and refused ones are errors. */
function parseKeys(input: Record<string, unknown>, label: string, found: Findings): Parsed {
  const parsed: Parsed = {};
  for (const [key, value] of Object.entries(input)) {
    if (value === undefined || key === SCHEMA_KEY) continue;
    if (ENV_BLOCK.test(key) && !(key in FIELDS)) {
      const result = FIELDS.env.schema.safeParse(value);
      if (!result.success) found.errors.push(`${label}: ${key} must be ${FIELDS.env.expected}, got ${show(value)}`);
      continue;
    }
    const kind = classifyKey(key);
    if (kind.kind === 'field') {
      const spec = FIELDS[kind.key];
      const result = spec.schema.safeParse(value);
      if (result.success) parsed[kind.key] = result.data;
      else found.errors.push(`${label}: ${describePath(key, result.error.issues[0]?.path)} must be ${spec.expected}, got ${show(value)}`);
    } else if (kind.kind === 'ignored') found.warnings.push(`${label}: "${key}" is a PM2 key sup ignores (${kind.why})`);
    else found.errors.push(`${label}: unknown key "${key}"${kind.guess ? `; did you mean "${kind.guess}"?` : ''}`);
  }
  return parsed;
}

/**
 * As PM2: instances of a Node script mean cluster mode unless exec_mode says otherwise; a program that is not Node
 * (or `execute_command`) runs in fork mode, N copies if asked, with a warning when cluster mode was asked for.
 */
export function decideExecMode(parsed: Parsed, interpreter: string, instances: number): { mode: 'fork' | 'cluster'; warning?: string } {
  const asked = parsed.exec_mode as 'fork' | 'cluster' | undefined;
  const node = interpreter === 'node' && parsed.execute_command !== true;
  if (node) return { mode: asked ?? (parsed.instances !== undefined ? 'cluster' : 'fork') };
  const what = interpreter === 'node' ? 'execute_command' : `interpreter "${interpreter}"`;
  if (asked === 'cluster' || instances > 1) {
    const copies = `${instances} cop${instances === 1 ? 'y' : 'ies'}`;
    return { mode: 'fork', warning: `cluster mode runs Node scripts only (${what}); runs in fork mode, ${copies} that share no port` };
  }
  return { mode: 'fork' };
}

/** env, then env_<name> for `--env <name>`, then PM2's `port` as PORT (0 means none). */
function appEnv(
  parsed: Parsed,
  input: Record<string, unknown>,
  port: number | undefined,
  envName: string | undefined,
): Record<string, string> {
  let env = { ...((parsed.env as Record<string, string> | undefined) ?? {}) };
  if (envName) {
    const key = `env_${envName}`;
    const block = key in FIELDS ? undefined : input[key];
    if (block !== undefined) env = { ...env, ...(FIELDS.env.schema.parse(block) as Record<string, string>) };
  }
  return port === undefined || Number(port) === 0 ? env : { ...env, PORT: String(port) };
}

// Docker's HEALTHCHECK words, with timings that suit a process supervisor (Docker's are 30 s).
const HEALTH_DEFAULTS = { interval: 10_000, timeout: 5000, retries: 3, start_period: 0 };

function withHealthDefaults(check: Partial<HealthCheck>): HealthCheck {
  const given = Object.fromEntries(Object.entries(check).filter(([, v]) => v !== undefined)) as Partial<HealthCheck>;
  return { http: null, tcp: null, command: null, ...HEALTH_DEFAULTS, ...given };
}

/** log_file: a path (against cwd), or true: <name>.log in the logs folder, as PM2's `-l` without a path. */
function combinedLog(file: string | boolean | null | undefined, cwd: string, name: string, logsDir: string | undefined): string | null {
  if (file === true) return join(logsDir ?? join(cwd, 'logs'), `${name}.log`);
  return typeof file === 'string' ? resolve(cwd, file) : null;
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
  return /^\d+$/.test(base) || base === 'all' ? `app-${base}` : base.replace(/[\s\\]+/g, '-');
}

function describePath(key: string, path: readonly PropertyKey[] | undefined): string {
  const rest = (path ?? []).map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
  return key + rest;
}

export function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
