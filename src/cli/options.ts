import type { Argv, Options } from 'yargs';

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
  autorestart: { type: 'boolean', describe: 'restart when the app exits (--no-autorestart to disable)' },
  'max-restarts': { type: 'number', describe: 'unstable restarts in a row before errored (default 16)' },
  'min-uptime': { type: 'string', describe: 'a run shorter than this is unstable (default 1000 ms)' },
  'restart-delay': { type: 'string', describe: 'fixed delay before each restart' },
  'exp-backoff-restart-delay': { type: 'string', describe: 'first delay of an exponential backoff' },
  'kill-timeout': { type: 'string', describe: 'time between the stop signal and SIGKILL (default 1600 ms)' },
  'kill-signal': { type: 'string', describe: 'stop signal (default SIGTERM; PM2 sends SIGINT)' },
  namespace: { type: 'string', describe: 'a group name that commands can target' },
  output: { alias: 'o', type: 'string', describe: 'stdout log file' },
  error: { alias: 'e', type: 'string', describe: 'stderr log file' },
  'merge-logs': { type: 'boolean', describe: 'one log file for all instances' },
  'max-memory-restart': { type: 'string', describe: 'restart over this RSS (whole tree), e.g. 200M' },
  watch: { type: 'string', describe: 'restart on file changes: --watch (the cwd) or --watch src,lib' },
  'ignore-watch': { type: 'string', describe: 'comma-separated patterns not to watch' },
  'watch-delay': { type: 'string', describe: 'quiet time after a change before restarting (default 100 ms)' },
  'health-check': { type: 'string', describe: 'health check: a URL, or a path on 127.0.0.1 and PORT (2xx/3xx is healthy)' },
  watchdog: { type: 'string', describe: 'Node apps: restart when the event loop stays blocked this long, e.g. 5s' },
  'cron-restart': { alias: 'cron', type: 'string', describe: 'restart on a cron schedule, e.g. "0 3 * * *"' },
} as const satisfies Record<string, Options>;

/** Flags that pick what an ecosystem file gives. */
export const FILE_FLAGS = {
  env: { type: 'string', describe: 'ecosystem files: merge env_<name> over env' },
  only: { type: 'string', describe: 'ecosystem files: only these apps (comma-separated)' },
} as const satisfies Record<string, Options>;

/** What restart and reload take besides their targets. */
export const RESTART_FLAGS = {
  'update-env': { type: 'boolean', default: false, describe: "use this shell's environment (and an ecosystem file's current config)" },
  ...FILE_FLAGS,
  parallel: { type: 'number', default: 1, describe: 'reload: instances replaced at a time' },
} as const satisfies Record<string, Options>;

export const targets = <T>(y: Argv<T>) =>
  y.positional('targets', { type: 'string', array: true, describe: 'app names, ids, "all", or an ecosystem file' });

/** The parsed restart flags, as the restart command takes them. */
export function restartArgs(a: {
  targets?: unknown;
  updateEnv: boolean;
  env?: string | undefined;
  only?: string | undefined;
  parallel: number;
}) {
  return { targets: a.targets as string[], updateEnv: a.updateEnv, env: a.env, only: a.only, parallel: a.parallel };
}

/** The arguments after `--`, for the app. */
export function appArgs(a: object): string[] {
  return (((a as { '--'?: unknown[] })['--'] as unknown[] | undefined) ?? []).map(String);
}
