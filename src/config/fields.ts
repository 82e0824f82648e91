import { constants } from 'node:os';
import { Cron } from 'croner';
import { z } from 'zod';
import { DEPENDENCY_CONDITIONS, HOOK_EVENTS, hookSchema } from './app-config.js';
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

/** An http check's target: a path on the app's PORT, or a whole http(s) URL. */
const httpTarget = z
  .string()
  .min(1)
  .refine((t) => t.startsWith('/') || /^https?:\/\/[^/\s]+/.test(t), 'a path starting with "/" or an http(s) URL')
  .refine((t) => t.startsWith('/') || URL.canParse(t), 'a valid URL');

const healthCheck: FieldSpec = {
  // A string is the HTTP check's URL or path; an object names one probe and, in Docker's words, its timing.
  schema: z.union([
    httpTarget.transform((http) => ({ http })),
    z
      .object({
        http: httpTarget.optional(),
        tcp: z
          .union([
            z.number().int().min(1).max(65535),
            z
              .string()
              .regex(/^\d{1,5}$/)
              .transform(Number),
          ])
          .optional(),
        command: z.string().min(1).optional(),
        interval: duration.schema.optional(),
        timeout: duration.schema.optional(),
        retries: z.union([z.number().int().min(1), z.string().regex(/^\d+$/).transform(Number)]).optional(),
        start_period: duration.schema.optional(),
      })
      .strict()
      .refine((c) => [c.http, c.tcp, c.command].filter((p) => p !== undefined).length === 1, 'one of http, tcp or command'),
  ]),
  expected: 'a URL or path, or { http | tcp | command, interval, timeout, retries, start_period }',
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
  health_check: healthCheck,
  watchdog: {
    schema: z.union([z.literal(false).transform(() => 0), duration.schema]),
    expected: 'a duration such as "5s" (false or 0: off)',
  },
  hooks: {
    schema: z.partialRecord(z.enum(HOOK_EVENTS), hookSchema),
    expected: `an object of events (${HOOK_EVENTS.join(', ')}) to a shell command or { "url": "<http url>" }`,
  },
  depends_on: {
    schema: z.union([
      z.array(z.string().min(1)).transform((names) => Object.fromEntries(names.map((n) => [n, 'online' as const]))),
      z.record(z.string().min(1), z.enum(DEPENDENCY_CONDITIONS)),
    ]),
    expected: `a list of app names, or an object of app names to ${DEPENDENCY_CONDITIONS.map((c) => `"${c}"`).join(', ')}`,
  },
  oneshot: bool,
  log_type: {
    // PM2 writes "json" for JSON lines; anything else is its raw default.
    schema: z.string().transform((t) => (t === 'json' ? 'json' : null)),
    expected: '"json"',
  },
  log_rotate_interval: {
    schema: z.string().refine((v) => v === 'daily' || v === 'hourly' || isCronPattern(v)),
    expected: '"daily", "hourly" or a cron expression',
  },
  log_max_age: duration,
  unhandled_rejections: { schema: z.enum(['log', 'throw']), expected: '"log" (PM2\'s way: log and run on) or "throw" (Node\'s)' },
  source_map_support: bool,
  disable_source_map_support: bool,
} satisfies Record<string, FieldSpec>;

export type FieldName = keyof typeof FIELDS;

/** env_<name> blocks, picked with --env <name>. */
export const ENV_BLOCK = /^env_[A-Za-z0-9_-]+$/;

export function isCronPattern(pattern: string): boolean {
  try {
    new Cron(pattern, { paused: true }).stop();
    return true;
  } catch {
    return false;
  }
}
