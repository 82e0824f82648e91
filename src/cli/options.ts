import type { Argv, Options } from 'yargs';
import { type AppFlagArgs, overridesFrom } from './start-args.js';

/**
 * Flags shared by the commands that take them, declared once so that their names and help cannot drift.
 * App flags are written in ecosystem-file terms by start.ts, so a flag and a file key mean the same thing.
 */
export const APP_FLAGS = {
  name: { alias: 'n', type: 'string', describe: 'app name (default: script name)' },
  interpreter: { type: 'string', describe: 'node (default for .js), none (run directly), or a program' },
  'interpreter-args': { alias: 'node-args', type: 'string', describe: 'arguments for the interpreter' },
  cwd: { type: 'string', describe: 'working directory of the app' },
  instances: { alias: 'i', type: 'string', describe: 'number of instances, "max", or -1 for CPUs minus one' },
  'execute-command': { alias: 'x', type: 'boolean', describe: 'run the script as a program, in fork mode' },
  autorestart: { type: 'boolean', describe: 'restart when the app exits (--no-autorestart to disable)' },
  autostart: { type: 'boolean', describe: 'start the app now (--no-autostart adds it stopped)' },
  'max-restarts': { type: 'string', describe: 'unstable restarts in a row before errored (default 16)' },
  'min-uptime': { type: 'string', describe: 'a run shorter than this is unstable (default 1000 ms)' },
  'restart-delay': { type: 'string', describe: 'fixed delay before each restart' },
  'exp-backoff-restart-delay': { type: 'string', describe: 'first delay of an exponential backoff' },
  'stop-exit-codes': { type: 'string', array: true, describe: 'exit codes after which the app is not restarted' },
  'kill-timeout': { alias: 'k', type: 'string', describe: 'time between the stop signal and SIGKILL (default 1600 ms)' },
  'kill-signal': { type: 'string', describe: 'stop signal (default SIGTERM; PM2 sends SIGINT)' },
  'shutdown-with-message': { type: 'boolean', describe: "stop with process.send('shutdown') before the signal" },
  treekill: { type: 'boolean', describe: 'stop the whole process tree (--no-treekill: the main process only)' },
  'wait-ready': { type: 'boolean', describe: "online only once the app calls process.send('ready')" },
  'listen-timeout': { type: 'string', describe: 'how long a start or reload waits for ready or listening' },
  'health-check': { type: 'string', describe: 'an HTTP health check: a URL or a path on 127.0.0.1 and $PORT' },
  namespace: { type: 'string', describe: 'a group name that commands can target' },
  uid: { type: 'string', describe: 'run the app as this user (name or uid; sup must run as root)' },
  gid: { type: 'string', describe: 'run the app with this group (name or gid)' },
  output: { alias: 'o', type: 'string', describe: 'stdout log file' },
  error: { alias: 'e', type: 'string', describe: 'stderr log file' },
  log: {
    alias: 'l',
    type: 'string',
    describe: 'one more file with stdout and stderr together (--log alone: <name>.log in the logs folder)',
  },
  'log-type': { type: 'string', describe: 'json: log lines as JSON objects' },
  'log-date-format': { type: 'string', describe: 'prefix each log line with its time in this format' },
  time: { type: 'boolean', describe: 'prefix each log line with its time' },
  'disable-logs': { type: 'boolean', describe: 'write no log files' },
  'merge-logs': { type: 'boolean', describe: 'one log file for all instances' },
  'max-memory-restart': { type: 'string', describe: 'restart over this RSS (whole tree), e.g. 200M' },
  watch: { type: 'string', describe: 'restart on file changes: --watch (the cwd) or --watch src,lib' },
  ext: { type: 'string', describe: 'with --watch: only files with these extensions (js,json)' },
  'ignore-watch': { type: 'string', describe: 'comma-separated patterns not to watch' },
  'watch-delay': { type: 'string', describe: 'quiet time after a change before restarting: seconds, or "500ms" (as PM2)' },
  'cron-restart': { alias: ['cron', 'c'], type: 'string', describe: 'restart on a cron schedule, e.g. "0 3 * * *"' },
  'source-map-support': { type: 'boolean', describe: "Node's source maps in stack traces (the default)" },
  'disable-source-map-support': { type: 'boolean', describe: 'no source maps in stack traces' },
  watchdog: { type: 'string', describe: 'Node apps: restart when the event loop stays blocked this long, e.g. 5s' },
} as const satisfies Record<string, Options>;

/** Flags that pick what an ecosystem file gives. */
export const FILE_FLAGS = {
  env: { type: 'string', describe: 'ecosystem files: merge env_<name> over env' },
  only: { type: 'string', describe: 'ecosystem files: only these apps (comma-separated)' },
} as const satisfies Record<string, Options>;

/** What restart and reload take besides their targets. */
export const RESTART_FLAGS = {
  'update-env': {
    alias: 'a',
    type: 'boolean',
    default: false,
    describe: "use this shell's environment (and an ecosystem file's current config)",
  },
  ...FILE_FLAGS,
  parallel: { type: 'number', default: 1, describe: 'reload: instances replaced at a time' },
} as const satisfies Record<string, Options>;

export const targets = <T>(y: Argv<T>) =>
  y.positional('targets', { type: 'string', array: true, describe: 'app names, ids, "all", or an ecosystem file' });

/** The parsed restart flags, as the restart command takes them; start flags given become overrides. */
export function restartArgs(
  a: { targets?: unknown; updateEnv: boolean; env?: string | undefined; only?: string | undefined; parallel: number } & AppFlagArgs,
) {
  const overrides = overridesFrom(a);
  return { targets: a.targets as string[], updateEnv: a.updateEnv, env: a.env, only: a.only, parallel: a.parallel, overrides };
}

/** The arguments after `--`, for the app. */
export function appArgs(a: object): string[] {
  return (((a as { '--'?: unknown[] })['--'] as unknown[] | undefined) ?? []).map(String);
}

/**
 * PM2's flags that mean nothing to sup (PM2 Plus, versioning, pid files...): accepted anywhere, as PM2 accepts them,
 * with one warning each (see docs/pm2-migration.md).
 */
export const IGNORED_FLAGS = {
  'mini-list': { alias: 'm', type: 'boolean', hidden: true },
  'filter-env': { type: 'string', hidden: true },
  pid: { alias: 'p', type: 'string', hidden: true },
  write: { alias: 'w', type: 'boolean', hidden: true },
  vizion: { type: 'boolean', hidden: true },
  pmx: { type: 'boolean', hidden: true },
  automation: { type: 'boolean', hidden: true },
  trace: { type: 'boolean', hidden: true },
  'disable-trace': { type: 'boolean', hidden: true },
  v8: { type: 'boolean', hidden: true },
  'event-loop-inspector': { type: 'boolean', hidden: true },
  'deep-monitoring': { type: 'boolean', hidden: true },
} as const satisfies Record<string, Options>;

/** PM2's global flags sup honours everywhere: -s (no output but errors) and --no-color. */
export const GLOBAL_FLAGS = {
  silent: { alias: 's', type: 'boolean', hidden: true },
  color: { type: 'boolean', hidden: true },
} as const satisfies Record<string, Options>;
