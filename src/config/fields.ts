import { constants } from 'node:os';
import { Cron } from 'croner';
import { z } from 'zod';
import { parseDuration, parseSize, splitArgs } from './units.js';

/**
 * One entry per ecosystem key sup understands: how to read it and, for error messages,
 * what a good value looks like. Adding a key here is all it takes to accept it.
 */
export interface FieldSpec {
  schema: z.ZodType;
  expected: string;
}

const invalid = (ctx: z.RefinementCtx): never => {
  ctx.addIssue({ code: 'custom', message: 'invalid' });
  return z.NEVER;
};

const duration: FieldSpec = {
  schema: z.union([z.number(), z.string()]).transform((v, ctx) => parseDuration(v) ?? invalid(ctx)),
  expected: 'a duration in ms or like "500ms", "5s", "1m"',
};
const count: FieldSpec = { schema: z.number().int().min(0), expected: 'a whole number ≥ 0' };
const bool: FieldSpec = { schema: z.boolean(), expected: 'true or false' };
const text: FieldSpec = { schema: z.string().min(1), expected: 'a non-empty string' };
const argv: FieldSpec = {
  schema: z.union([z.string().transform(splitArgs), z.array(z.string())]),
  expected: 'a string or an array of strings',
};
const envMap: FieldSpec = {
  schema: z
    .record(z.string(), z.union([z.string(), z.number(), z.boolean()]))
    .transform((env) => Object.fromEntries(Object.entries(env).map(([k, v]) => [k, String(v)]))),
  expected: 'an object of string, number or boolean values',
};
const signal: FieldSpec = {
  schema: z
    .string()
    .transform((s) => s.toUpperCase())
    .transform((s) => (s.startsWith('SIG') ? s : `SIG${s}`))
    .refine((s) => s in constants.signals),
  expected: 'a signal name such as "SIGTERM" or "SIGINT"',
};

export const FIELDS = {
  name: {
    schema: z
      .string()
      .trim()
      .min(1)
      .refine((s) => s !== 'all' && !/^\d+$/.test(s) && !/[\s/\\]/.test(s)),
    expected: 'a name without spaces or slashes that is not a number or "all"',
  },
  script: text,
  args: argv,
  interpreter: text,
  interpreter_args: argv,
  node_args: argv,
  cwd: text,
  env: envMap,
  instances: {
    schema: z.union([z.number().int(), z.string().regex(/^(max|-?\d+)$/)]),
    expected: 'a whole number, "max", or a negative number (CPUs minus n)',
  },
  exec_mode: {
    schema: z.enum(['fork', 'fork_mode', 'cluster', 'cluster_mode']).transform((m) => (m.startsWith('cluster') ? 'cluster' : 'fork')),
    expected: '"fork" or "cluster"',
  },
  instance_var: text,
  autorestart: bool,
  max_restarts: count,
  min_uptime: duration,
  restart_delay: duration,
  exp_backoff_restart_delay: duration,
  kill_timeout: duration,
  kill_signal: signal,
  shutdown_with_message: bool,
  wait_ready: bool,
  listen_timeout: duration,
  increment_var: {
    schema: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/),
    expected: 'an environment variable name such as "PORT"',
  },
  drain_http: bool,
  watch: {
    schema: z.union([
      z.boolean(),
      z
        .string()
        .min(1)
        .transform((p) => [p]),
      z.array(z.string().min(1)),
    ]),
    expected: 'true, a path, or an array of paths or globs',
  },
  ignore_watch: {
    schema: z.union([
      z
        .string()
        .min(1)
        .transform((p) => [p]),
      z.array(z.string().min(1)),
    ]),
    expected: 'a pattern or an array of patterns',
  },
  watch_delay: duration,
  cron_restart: {
    // PM2 writes 0 for "no schedule".
    schema: z.union([z.literal(0).transform(() => null), z.literal('0').transform(() => null), z.string().refine(isCronPattern)]),
    expected: 'a cron expression such as "0 3 * * *" (5 fields, or 6 with seconds)',
  },
  max_memory_restart: {
    schema: z.union([z.number(), z.string()]).transform((v, ctx) => parseSize(v) ?? invalid(ctx)),
    expected: 'a size like "200M", "1G", "512K" or a number of bytes',
  },
  stop_exit_codes: {
    schema: z.union([
      z
        .number()
        .int()
        .transform((n) => [n]),
      z.array(z.number().int()),
    ]),
    expected: 'an exit code or an array of exit codes',
  },
  out_file: text,
  error_file: text,
  merge_logs: bool,
  combine_logs: bool,
  log_file: text,
  time: bool,
  log_date_format: text,
  disable_logs: bool,
  log_max_size: {
    schema: z
      .union([z.literal(0), z.literal('0'), z.number(), z.string()])
      .transform((v, ctx) => (v === 0 || v === '0' ? 0 : (parseSize(v) ?? invalid(ctx)))),
    expected: 'a size like "10M", "1G" or a number of bytes (0: never rotate)',
  },
  log_retain: { schema: z.number().int().min(1).max(1000), expected: 'a whole number from 1 to 1000' },
  log_compress: bool,
  namespace: text,
  autostart: bool,
  treekill: bool,
  env_file: text,
  port: { schema: z.union([z.number().int().min(0).max(65535), z.string().regex(/^\d{1,5}$/)]), expected: 'a port number' },
} satisfies Record<string, FieldSpec>;

export type FieldName = keyof typeof FIELDS;

/** env_<name> blocks, picked with --env <name>. */
export const ENV_BLOCK = /^env_[A-Za-z0-9_-]+$/;

/**
 * PM2 keys sup refuses rather than ignores: ignoring them would run the app with more privileges than the
 * file asks for (sup runs every app as the user running sup).
 */
export const REFUSED: Readonly<Record<string, string>> = {
  uid: 'sup runs apps as the user running sup; start sup as that user instead',
  gid: 'sup runs apps with the group of the user running sup; start sup as that user instead',
  user: 'sup runs apps as the user running sup; start sup as that user instead',
};

/** PM2 keys outside a supervisor's job (deployment, PM2.io): ignored with a warning. */
export const OUT_OF_SCOPE = [
  'deploy',
  'pmx',
  'vizion',
  'automation',
  'post_update',
  'force',
  'source_map_support',
  'disable_source_map_support',
  'filter_env',
  'append_env_to_name',
  'min_uptime_reset',
  'instance_id_env',
  'container',
  'dist',
  'docker',
  'trace',
  'disable_trace',
  'pid_file',
  'log_type',
  'kill_retry_time',
  'windowsHide',
  'version',
  'watch_options',
  'pid',
  'shard',
] as const;

function isCronPattern(pattern: string): boolean {
  try {
    new Cron(pattern, { paused: true }).stop();
    return true;
  } catch {
    return false;
  }
}
