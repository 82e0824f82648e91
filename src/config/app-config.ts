import { boolean, type Infer, integer, nullable, oneOf, string, transform } from '../protocol/shape.js';
import { array, object, partialRecord, record, union } from '../protocol/shape-compound.js';

/** The events an app's hooks (and `sup events`) name. */
export const HOOK_EVENTS = [
  'start',
  'online',
  'exit',
  'crash',
  'restart',
  'errored',
  'memory_limit',
  'unhealthy',
  'stop',
  'reload',
] as const;
export type HookEvent = (typeof HOOK_EVENTS)[number];

/** What an app waits for before it starts: its dependency started, online, healthy, or (one-shot) completed. */
export const DEPENDENCY_CONDITIONS = ['started', 'online', 'healthy', 'completed'] as const;
export type DependencyCondition = (typeof DEPENDENCY_CONDITIONS)[number];

/** A resolved health check: one probe, with Docker HEALTHCHECK's timing words (all in ms). */
export const healthCheckSchema = object({
  http: nullable(string({ min: 1 })),
  tcp: nullable(integer({ min: 1, max: 65535 })),
  command: nullable(string({ min: 1 })),
  interval: integer({ min: 100 }),
  timeout: integer({ min: 1 }),
  retries: integer({ min: 1 }),
  start_period: integer({ min: 0 }),
});
export type HealthCheck = Infer<typeof healthCheckSchema>;

/** Any URL the WHATWG parser takes, trimmed and without tabs or newlines (the parser drops them anyway), as zod's url() had it. */
const webhookUrl = transform(string({ test: (s) => URL.canParse(s.trim()), expected: 'a URL such as "https://example.com/hook"' }), (s) =>
  s.trim().replace(/[\t\n\r]/g, ''),
);

/** A hook: a shell command (the event as JSON on stdin and SUP_* variables) or a webhook (the event POSTed as JSON). */
export const hookSchema = union([string({ min: 1 }), object({ url: webhookUrl })]);
export type Hook = Infer<typeof hookSchema>;

/**
 * The resolved, normalized configuration of one app: what the CLI sends and the daemon keeps.
 * Keys keep PM2's names so that `describe --json` reads like the ecosystem file it came from.
 * This schema is also the daemon's check on everything a client sends.
 */
export const appConfigSchema = object({
  name: string({ min: 1 }),
  namespace: string({ min: 1 }),
  script: string({ min: 1 }),
  args: array(string()),
  /** "node", "none" (run the script as a program), or any interpreter on PATH. */
  interpreter: string({ min: 1 }),
  interpreter_args: array(string()),
  cwd: string({ min: 1 }),
  env: record(string()),
  instances: integer({ min: 1 }),
  exec_mode: oneOf(['fork', 'cluster']),
  instance_var: string({ min: 1 }),
  autorestart: boolean(),
  max_restarts: integer({ min: 0 }),
  min_uptime: integer({ min: 0 }),
  restart_delay: integer({ min: 0 }),
  exp_backoff_restart_delay: integer({ min: 0 }),
  kill_timeout: integer({ min: 0 }),
  kill_signal: string({ pattern: /^SIG[A-Z0-9]+$/, expected: 'a signal name such as "SIGTERM"' }),
  /** Deliver a "shutdown" IPC message instead of the signal (then kill_timeout, then SIGKILL). */
  shutdown_with_message: boolean(),
  /** Online only after the app calls process.send('ready'). */
  wait_ready: boolean(),
  /** Backstop for ready (wait_ready) or listening (cluster mode). */
  listen_timeout: integer({ min: 0 }),
  /** A variable (e.g. PORT) given base + instance index in each instance. */
  increment_var: nullable(string({ min: 1 })),
  /** Run the app as this user and group (numeric, resolved from names); sup must run as root to change them. */
  uid: nullable(integer({ min: 0 })),
  gid: nullable(integer({ min: 0 })),
  /** Cluster mode: before a stop or reload, sup drains the instance's HTTP servers so that no request fails. */
  drain_http: boolean(),
  /** RSS limit in bytes for the instance's whole process tree; over it, a graceful restart (a reload in cluster mode). */
  max_memory_restart: nullable(integer({ min: 1 })),
  /** Paths or globs to watch (absolute); empty: not watching. */
  watch: array(string({ min: 1 })),
  /** Patterns never watched: a bare name (node_modules) at any depth, or a glob relative to cwd. */
  ignore_watch: array(string({ min: 1 })),
  /** Quiet time after the last change before the restart, so that a burst gives one restart. */
  watch_delay: integer({ min: 0 }),
  cron_restart: nullable(string({ min: 1 })),
  stop_exit_codes: array(integer()),
  /** null: the default file under SUP_HOME/logs, chosen by the daemon. */
  out_file: nullable(string({ min: 1 })),
  error_file: nullable(string({ min: 1 })),
  merge_logs: boolean(),
  /** stdout and stderr together, besides out_file and error_file. */
  log_file: nullable(string({ min: 1 })),
  /** A timestamp at the start of every line: `time: true` (ISO 8601) or a log_date_format. */
  time: boolean(),
  log_date_format: nullable(string({ min: 1 })),
  disable_logs: boolean(),
  /** Rotate a log file at this size (bytes; 0: never), keep log_retain rotated files, gzip them with log_compress. */
  log_max_size: integer({ min: 0 }),
  log_retain: integer({ min: 1 }),
  log_compress: boolean(),
  /** false: registered as stopped; `sup start <name>` starts it. */
  autostart: boolean(),
  /** false: stop signals only the main process, not its process group and descendants. */
  treekill: boolean(),
  /** The dotenv file read into env when the app was loaded (kept to show where the values came from). */
  env_file: nullable(string({ min: 1 })),
  /** Liveness and readiness: an HTTP URL (or a path on 127.0.0.1:PORT), a TCP port, or a shell command, checked every interval. */
  health_check: nullable(healthCheckSchema),
  /** Node apps: a loop blocked longer than this (ms) is a hung app: its stack is logged and it is restarted. 0: off. */
  watchdog: integer({ min: 0 }),
  /** Commands or webhooks run on the app's events (start, crash, errored, …). */
  hooks: partialRecord(HOOK_EVENTS, hookSchema),
  /** Apps this one waits for, and for what: started, online, healthy or completed (one-shot tasks). */
  depends_on: record(oneOf(DEPENDENCY_CONDITIONS)),
  /** Runs once to completion (a migration): exit 0 is completed, never restarted. */
  oneshot: boolean(),
  /** "json": every log line is one JSON object (PM2's fields: message, timestamp, type, process_id, app_name). */
  log_type: nullable(oneOf(['json'])),
  /** Rotate log files on a schedule besides their size: "daily", "hourly" or a cron expression. */
  log_rotate_interval: nullable(string({ min: 1 })),
  /** Delete rotated log files older than this (ms); 0 keeps them (log_retain still counts). */
  log_max_age: integer({ min: 0 }),
  /** Node apps: an unhandled promise rejection is logged with its stack and the app runs on (PM2's way), or "throw" (Node's). */
  unhandled_rejections: oneOf(['log', 'throw']),
  /** Node apps: stack traces through source maps (--enable-source-maps). */
  source_map_support: boolean(),
});

export type AppConfig = Infer<typeof appConfigSchema>;

/** Defaults, with PM2's values except kill_signal (SIGTERM, what systemd, Docker and Kubernetes send). */
export const APP_DEFAULTS = {
  namespace: 'default',
  args: [],
  interpreter_args: [],
  env: {},
  instances: 1,
  exec_mode: 'fork',
  instance_var: 'NODE_APP_INSTANCE',
  autorestart: true,
  max_restarts: 16,
  min_uptime: 1000,
  restart_delay: 0,
  exp_backoff_restart_delay: 0,
  kill_timeout: 1600,
  kill_signal: 'SIGTERM',
  shutdown_with_message: false,
  wait_ready: false,
  listen_timeout: 3000,
  increment_var: null,
  uid: null,
  gid: null,
  drain_http: true,
  max_memory_restart: null,
  watch: [],
  ignore_watch: ['node_modules', '.git'],
  watch_delay: 100,
  cron_restart: null,
  stop_exit_codes: [],
  out_file: null,
  error_file: null,
  merge_logs: false,
  log_file: null,
  time: false,
  log_date_format: null,
  disable_logs: false,
  // 10 MB × (1 + 5 rotated) per stream at most: a default install never fills a disk.
  log_max_size: 10 * 1024 * 1024,
  log_retain: 5,
  log_compress: false,
  autostart: true,
  treekill: true,
  env_file: null,
  health_check: null,
  watchdog: 0,
  hooks: {},
  depends_on: {},
  oneshot: false,
  log_type: null,
  log_rotate_interval: null,
  log_max_age: 0,
  unhandled_rejections: 'log',
  source_map_support: true,
} as const satisfies Partial<AppConfig>;
