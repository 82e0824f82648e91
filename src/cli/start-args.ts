/** What `sup start` (and `sup run`, restart and reload for their overrides) takes from its flags, in yargs' names. */
export interface AppFlagArgs {
  name?: string | undefined;
  interpreter?: string | undefined;
  interpreterArgs?: string | undefined;
  cwd?: string | undefined;
  instances?: string | undefined;
  executeCommand?: boolean | undefined;
  autorestart?: boolean | undefined;
  autostart?: boolean | undefined;
  maxRestarts?: string | undefined;
  minUptime?: string | undefined;
  restartDelay?: string | undefined;
  expBackoffRestartDelay?: string | undefined;
  stopExitCodes?: string[] | undefined;
  killTimeout?: string | undefined;
  killSignal?: string | undefined;
  shutdownWithMessage?: boolean | undefined;
  treekill?: boolean | undefined;
  waitReady?: boolean | undefined;
  listenTimeout?: string | undefined;
  healthCheck?: string | undefined;
  watchdog?: string | undefined;
  namespace?: string | undefined;
  uid?: string | undefined;
  gid?: string | undefined;
  output?: string | undefined;
  error?: string | undefined;
  log?: string | undefined;
  logType?: string | undefined;
  logDateFormat?: string | undefined;
  time?: boolean | undefined;
  disableLogs?: boolean | undefined;
  mergeLogs?: boolean | undefined;
  maxMemoryRestart?: string | undefined;
  watch?: string | undefined;
  ext?: string | undefined;
  ignoreWatch?: string | undefined;
  watchDelay?: string | undefined;
  cronRestart?: string | undefined;
  sourceMapSupport?: boolean | undefined;
  disableSourceMapSupport?: boolean | undefined;
}

/**
 * CLI flags in ecosystem-file terms, so that they are validated and reported exactly like file values (a flag and a
 * key mean the same thing). `--log` alone is resolved later, once the app's name is known.
 */
export function overridesFrom(args: AppFlagArgs, appArgs: readonly string[] = []): Record<string, unknown> {
  const map: Record<string, unknown> = {
    name: args.name,
    interpreter: args.interpreter,
    // PM2: `--node-args=null` clears what an earlier start or restart set.
    interpreter_args: args.interpreterArgs === 'null' ? [] : args.interpreterArgs,
    cwd: args.cwd,
    instances: args.instances,
    execute_command: args.executeCommand,
    autorestart: args.autorestart === false ? false : undefined,
    autostart: args.autostart === false ? false : undefined,
    max_restarts: args.maxRestarts,
    min_uptime: args.minUptime,
    restart_delay: args.restartDelay,
    exp_backoff_restart_delay: args.expBackoffRestartDelay,
    stop_exit_codes: args.stopExitCodes?.flatMap((c) => c.split(/[\s,]+/)).filter(Boolean),
    kill_timeout: args.killTimeout,
    kill_signal: args.killSignal,
    shutdown_with_message: args.shutdownWithMessage,
    treekill: args.treekill === false ? false : undefined,
    wait_ready: args.waitReady,
    listen_timeout: args.listenTimeout,
    health_check: args.healthCheck,
    watchdog: args.watchdog,
    namespace: args.namespace,
    uid: args.uid,
    gid: args.gid,
    out_file: args.output,
    error_file: args.error,
    // `-l` alone: PM2's combined file, <name>.log in the logs folder.
    log_file: args.log === '' ? true : args.log,
    log_type: args.logType,
    log_date_format: args.logDateFormat,
    time: args.time,
    disable_logs: args.disableLogs,
    merge_logs: args.mergeLogs,
    max_memory_restart: args.maxMemoryRestart,
    watch: watchFlag(args.watch, args.ext),
    ignore_watch: args.ignoreWatch === undefined ? undefined : list(args.ignoreWatch),
    // PM2: `--watch-delay 4` is seconds, `4000ms` milliseconds.
    watch_delay:
      args.watchDelay !== undefined && /^\s*\d+(\.\d+)?\s*$/.test(args.watchDelay) ? Number(args.watchDelay) * 1000 : args.watchDelay,
    cron_restart: args.cronRestart,
    source_map_support: args.sourceMapSupport,
    disable_source_map_support: args.disableSourceMapSupport,
    args: appArgs.length > 0 ? [...appArgs] : undefined,
  };
  return Object.fromEntries(Object.entries(map).filter(([, v]) => v !== undefined));
}

/** --watch alone watches the cwd, --watch a,b those paths; --ext js,json narrows either to those extensions. */
function watchFlag(watch: string | undefined, ext: string | undefined): boolean | string[] | undefined {
  const paths = watch === undefined ? undefined : watch === '' ? ['.'] : list(watch);
  if (ext === undefined) return watch === '' ? true : paths;
  const exts = list(ext).map((e) => e.replace(/^\./, ''));
  const glob = exts.length === 1 ? `*.${exts[0]}` : `*.{${exts.join(',')}}`;
  return (paths ?? ['.']).map((p) => `${p.replace(/\/$/, '')}/**/${glob}`);
}

function list(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}
