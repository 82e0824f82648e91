import { z } from 'zod';
import { APP_DEFAULTS } from './app-config.js';
import { FIELDS, type FieldName } from './fields.js';
import { OUT_OF_SCOPE } from './pm2-compat.js';
import { ALIASES } from './pm2-compat.js';

/** What each key does, for editors' hover text. A key without a line here does not compile. */
const ABOUT: Record<FieldName, string> = {
  name: 'Unique app name (default: the script file name).',
  script: 'The file or program to run; relative to cwd.',
  args: 'Arguments for the script.',
  interpreter: '"node" (default for .js/.cjs/.mjs), "none" to run the script as a program, or an interpreter such as "python3".',
  interpreter_args: 'Arguments for the interpreter, e.g. "--max-old-space-size=512".',
  node_args: 'PM2 alias of interpreter_args.',
  cwd: "Working directory; relative to the ecosystem file's folder.",
  env: 'Environment variables, merged over the environment of the starting shell.',
  instances: 'Number of instances; "max" or 0 for one per CPU, -1 for CPUs minus one.',
  exec_mode: '"cluster" shares one listening port among the instances of a Node app.',
  instance_var: 'The variable holding the instance number.',
  autorestart: 'Restart the app when it exits.',
  max_restarts: 'Unstable restarts (runs shorter than min_uptime) in a row before the app is marked errored.',
  min_uptime: 'A run shorter than this counts as unstable.',
  restart_delay: 'Fixed delay before each automatic restart.',
  exp_backoff_restart_delay: 'First delay of an exponential backoff (×1.5 per restart, at most 15 s).',
  kill_timeout: 'Time between the stop signal and SIGKILL.',
  kill_signal: 'The signal that asks the app to stop.',
  shutdown_with_message: 'Stop by sending the "shutdown" IPC message instead of a signal.',
  wait_ready: "Online only after the app calls process.send('ready').",
  listen_timeout: 'How long to wait for ready (wait_ready) or listening (cluster mode).',
  increment_var: 'A variable such as PORT that each instance gets plus its instance number.',
  drain_http: "Cluster mode: drain the instance's HTTP servers before it stops, so that no request fails.",
  watch: 'Restart on file changes: true (the cwd), or paths and globs.',
  ignore_watch: 'Patterns never watched.',
  watch_delay: 'Quiet time after the last change before the restart.',
  cron_restart: 'Restart on a cron schedule.',
  max_memory_restart: "Restart (cluster: reload) when the app's process tree uses more memory than this.",
  stop_exit_codes: 'Exit codes that mean "done": no restart.',
  out_file: 'stdout log file (default: SUP_HOME/logs/<name>-out.log).',
  error_file: 'stderr log file (default: SUP_HOME/logs/<name>-error.log).',
  merge_logs: 'One log file for all instances instead of one per instance.',
  combine_logs: 'PM2 alias of merge_logs.',
  log_file: 'A file with stdout and stderr together, besides out_file and error_file.',
  time: 'Prefix every log line with an ISO 8601 timestamp.',
  log_date_format: 'Prefix every log line with a timestamp in this format (YYYY MM DD HH mm ss SSS Z).',
  disable_logs: 'Write no log files.',
  log_max_size: 'Rotate a log file at this size (0: never).',
  log_retain: 'Rotated files kept per log file.',
  log_compress: 'Gzip rotated log files.',
  namespace: 'A group name for apps.',
  autostart: 'false: the app is added stopped; `sup start <name>` starts it.',
  treekill: 'false: a stop signals only the main process, not its children.',
  env_file: "A dotenv file read into env (the app's own env wins).",
  port: 'PM2 shorthand for env.PORT.',
  health_check:
    'Checks that the app works, every interval: "http" (a URL, or a path on 127.0.0.1 and PORT; 2xx/3xx is healthy), "tcp" (a port) or "command" (exit 0); unhealthy after retries failures in a row, then restarted (cluster: reloaded).',
  watchdog: 'Node apps: restart the app when its event loop stays blocked this long, logging the hung stack first.',
  hooks: 'Shell commands or webhooks ({ "url": … }) run on the app\'s events, with the event as JSON.',
  depends_on: 'Apps to wait for before this one starts: a list (online), or names to "started", "online", "healthy" or "completed".',
  oneshot: 'A task that runs once to completion (exit 0: completed), never restarted; dependents wait for it.',
  log_type: '"json": every log line is one JSON object (message, timestamp, type, process_id, app_name).',
  log_rotate_interval: 'Also rotate log files on this schedule: "daily", "hourly" or a cron expression.',
  log_max_age: 'Delete rotated log files older than this, e.g. "14d".',
  unhandled_rejections:
    '"log" (default, as PM2): an unhandled promise rejection is logged with its stack and the app runs on; "throw": Node\'s default, the app crashes.',
  source_map_support: 'Node apps: stack traces through source maps (--enable-source-maps).',
  disable_source_map_support: "PM2's switch: true turns source_map_support off.",
  execute_command: 'PM2: run the script as a program, in fork mode.',
  uid: 'Run the app as this user (a name or a uid); sup must run as root to change it. PM2 also reads "user".',
  gid: 'Run the app with this group (a name or a gid); sup must run as root to change it.',
  name_prefix: "A prefix for the app's name.",
  append_env_to_name: 'With --env <name>, the app is named "<name>-<env>".',
};

/**
 * The JSON Schema of an ecosystem file, generated from the same field schemas that validate it, so that
 * editors complete and check keys (`"$schema"` in the file). Shipped as ecosystem.schema.json.
 */
export function ecosystemJsonSchema(): Record<string, unknown> {
  const fields = Object.fromEntries((Object.keys(FIELDS) as FieldName[]).map((key) => [key, FIELDS[key].schema.optional()]));
  const app = z.toJSONSchema(z.object(fields), { io: 'input', unrepresentable: 'any', target: 'draft-07' }) as Record<string, unknown>;
  const properties = app.properties as Record<string, Record<string, unknown>>;
  for (const key of Object.keys(FIELDS) as FieldName[]) properties[key] = { ...describeField(key), ...properties[key] };
  delete app.$schema;
  const ignored = Object.fromEntries(
    Object.entries(OUT_OF_SCOPE).map(([key, why]) => [key, { description: `A PM2 key sup ignores, with a warning: ${why}.` }]),
  );
  const envBlock = z.toJSONSchema(FIELDS.env.schema, { io: 'input', target: 'draft-07' }) as Record<string, unknown>;
  delete envBlock.$schema;
  const aliases = Object.fromEntries(
    Object.entries(ALIASES).map(([alias, key]) => [alias, { ...properties[key], description: `PM2's other spelling of ${key}.` }]),
  );
  const appSchema = {
    ...app,
    properties: { $schema: { type: 'string' }, ...(app.properties as object), ...aliases, ...ignored },
    // env_file is a key of its own, not an env block.
    patternProperties: { '^env_(?!file$)[A-Za-z0-9_-]+$': { ...envBlock, description: 'Merged over env with `--env <name>`.' } },
    additionalProperties: false,
    required: ['script'],
  };
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'sup ecosystem file',
    description: 'Apps for sup (a PM2-compatible process supervisor): an object with "apps", or a single app.',
    definitions: { app: appSchema },
    anyOf: [
      {
        type: 'object',
        properties: { $schema: { type: 'string' }, apps: { type: 'array', minItems: 1, items: { $ref: '#/definitions/app' } } },
        required: ['apps'],
      },
      { $ref: '#/definitions/app' },
    ],
  };
}

function describeField(key: FieldName): { description: string; default?: unknown } {
  const description = `${ABOUT[key]} Expected: ${FIELDS[key].expected}.`;
  const defaults = APP_DEFAULTS as Record<string, unknown>;
  return key in defaults && defaults[key] !== null ? { description, default: defaults[key] } : { description };
}
