import { APP_NAME_EXPECTED, isAppName } from './app-name.js';
import { z } from 'zod';
import { loadCron } from '../cron.js';
import { check } from '../protocol/shape.js';
import { DEPENDENCY_CONDITIONS, HOOK_EVENTS, type Hook, hookSchema } from './app-config.js';
import { argv, bool, type FieldSpec, count, duration, envMap, invalid, signal, text } from './field-specs.js';
import { parseDuration, parseSize } from './units.js';

export type { FieldSpec } from './field-specs.js';

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

/**
 * A hook, checked by the daemon's own hook shape, so that the rule is written once. Its JSON schema (zod cannot see
 * inside the check) is spelled out: what editors were given when the hook shape was zod's.
 */
const hookField = z
  .unknown()
  .transform((value, ctx): Hook => {
    const checked = check(hookSchema, value);
    if (checked.ok) return checked.value;
    ctx.addIssue({ code: 'custom', message: checked.issue.message, path: checked.issue.path });
    return z.NEVER;
  })
  .meta({
    anyOf: [
      { type: 'string', minLength: 1 },
      { type: 'object', properties: { url: { type: 'string', format: 'uri' } }, required: ['url'], additionalProperties: false },
    ],
  });

export const FIELDS = {
  name: {
    // A number is a name as PM2 takes it (`--name 455`); a target that is also an id means the id.
    schema: z.union([z.string(), z.number().int().min(0).transform(String)]).pipe(z.string().trim().min(1).refine(isAppName)),
    expected: APP_NAME_EXPECTED,
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
  // A number, or a user or group name resolved on this machine (PM2's uid, gid and user).
  uid: { schema: z.union([z.number().int().min(0), z.string().min(1)]), expected: 'a user name or a numeric uid' },
  gid: { schema: z.union([z.number().int().min(0), z.string().min(1)]), expected: 'a group name or a numeric gid' },
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
    // PM2 takes a number, a string ("0" or "0,2"), or an array of either.
    schema: z
      .union([z.number(), z.string().regex(/^\s*\d+(\s*,\s*\d+)*\s*$/), z.array(z.union([z.number(), z.string().regex(/^\s*\d+\s*$/)]))])
      .transform((v) => (Array.isArray(v) ? v : typeof v === 'string' ? v.split(',') : [v]).map(Number))
      .pipe(z.array(z.number().int())),
    expected: 'an exit code or an array of exit codes',
  },
  out_file: text,
  error_file: text,
  merge_logs: bool,
  combine_logs: bool,
  // PM2: true is the combined file in the logs folder, false none.
  log_file: {
    schema: z.union([z.boolean(), z.string().min(1)]).transform((v) => (v === false ? undefined : v)),
    expected: 'a file path, or true (<name>.log in the logs folder)',
  },
  time: bool,
  log_date_format: text,
  disable_logs: bool,
  log_max_size: {
    schema: z
      .union([z.literal(0), z.literal('0'), z.number(), z.string()])
      .transform((v, ctx) => (v === 0 || v === '0' ? 0 : (parseSize(v) ?? invalid(ctx)))),
    expected: 'a size like "10M", "1G" or a number of bytes (0: never rotate)',
  },
  log_retain: {
    schema: z
      .union([
        z.number(),
        z
          .string()
          .regex(/^\s*\d+\s*$/)
          .transform(Number),
      ])
      .pipe(z.number().int().min(1).max(1000)),
    expected: 'a whole number from 1 to 1000',
  },
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
    schema: z.partialRecord(z.enum(HOOK_EVENTS), hookField),
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
  /** PM2: run the program directly, in fork mode. */
  execute_command: bool,
  /** PM2: a prefix for the app's name. */
  name_prefix: text,
  /** PM2: with --env <name>, the app's name gets "-<name>". */
  append_env_to_name: bool,
} satisfies Record<string, FieldSpec>;

export type FieldName = keyof typeof FIELDS;

/** env_<name> blocks, picked with --env <name>. */
export const ENV_BLOCK = /^env_[A-Za-z0-9_-]+$/;

export function isCronPattern(pattern: string): boolean {
  try {
    const Cron = loadCron();
    new Cron(pattern, { paused: true }).stop();
    return true;
  } catch {
    return false;
  }
}
