/**
 * Every SUP_* environment variable sup reads or writes, named once. Readers parse them here too, so that a
 * variable's meaning lives in one place.
 */
export const SUP_ENV = {
  /** The daemon's folder (socket, token, state, logs); default ~/.sup. */
  home: 'SUP_HOME',
  /** Set in every app process: the pid of the keeper that holds it (with SUP_HOME, how leftovers of a dead keeper are found). */
  keeperPid: 'SUP_KEEPER_PID',
  /** Set in every app process: the key of its run, unique per launch (what a stop or a crash leaves of it is found by it). */
  runKey: 'SUP_RUN',
  /** Set in every app process: its app's name and its instance id. */
  appName: 'SUP_APP_NAME',
  id: 'SUP_ID',
  /** Set to "0" in cluster workers of apps with drain_http off. */
  drainHttp: 'SUP_DRAIN_HTTP',
  /**
   * "1" in the Node processes sup starts: sup's preloaded runtime acts there only. It removes this (and the two
   * below) from its environment when it loads, so that the app's own Node children, which inherit its --import,
   * stay quiet.
   */
  runtime: 'SUP_RUNTIME',
  /** Set in Node apps with a watchdog: how long (ms) their event loop may stay blocked before sup restarts them. */
  watchdog: 'SUP_WATCHDOG',
  /** "1" in cluster workers of apps with an http or tcp health check: open a port of their own for the probes. */
  healthProbe: 'SUP_HEALTH_PROBE',
  /** The daemon's sampling interval in ms (default 1000, at least 200). */
  monitorInterval: 'SUP_MONITOR_INTERVAL',
  /** "foreground": the keeper of `sup run`, which ends with its daemon instead of waiting for the next one. */
  keeperMode: 'SUP_KEEPER_MODE',
  /** "1": the daemon brings back the saved list at start (the boot unit). */
  resurrect: 'SUP_RESURRECT',
  /**
   * For `sup start`: how long (ms) it watches the apps it started for a crash at start; default min_uptime, at most
   * 5 s; "0": report at once (scripts starting many apps, and the tests, which wait on statuses themselves).
   */
  startWatch: 'SUP_START_WATCH_MS',
  /** In sup's own processes on Node 20: the NODE_EXTRA_CA_CERTS they were given, read at their first TLS request (extra-ca.ts). */
  extraCaCerts: 'SUP_EXTRA_CA_CERTS',
} as const;

/** SUP_START_WATCH_MS as the start request takes it: undefined (the default) unless a whole number is set. */
export function startWatchMs(env: NodeJS.ProcessEnv): number | undefined {
  const value = env[SUP_ENV.startWatch];
  return value !== undefined && /^\d+$/.test(value) ? Number(value) : undefined;
}

/** Set for a hook command: the event (the same as the JSON on its stdin). */
export const HOOK_ENV = {
  event: 'SUP_EVENT',
  app: 'SUP_APP',
  id: 'SUP_ID',
  instance: 'SUP_INSTANCE',
  pid: 'SUP_PID',
  exitCode: 'SUP_EXIT_CODE',
  signal: 'SUP_SIGNAL',
  reason: 'SUP_REASON',
  /** The last lines of the instance's stderr, newline-separated. */
  stderr: 'SUP_STDERR',
  /** Set on a rate limit's summary: how many events were not sent. */
  suppressed: 'SUP_SUPPRESSED',
} as const;

/** Variables a process of sup must not pass on to the next one it starts (they describe an app or this process). */
export const DAEMON_OWN_VARS: readonly string[] = [
  SUP_ENV.keeperPid,
  SUP_ENV.runKey,
  SUP_ENV.resurrect,
  SUP_ENV.keeperMode,
  SUP_ENV.appName,
  SUP_ENV.id,
  SUP_ENV.runtime,
  SUP_ENV.watchdog,
  SUP_ENV.healthProbe,
];

/** What sup's runtime inside an app is asked to do, read once and removed from the environment (see `runtime`). */
export function takeRuntimeEnv(env: NodeJS.ProcessEnv): { active: boolean; watchdogMs: number; healthProbe: boolean } {
  const active = env[SUP_ENV.runtime] === '1';
  const ms = Number(env[SUP_ENV.watchdog] ?? 0);
  const healthProbe = env[SUP_ENV.healthProbe] === '1';
  for (const name of [SUP_ENV.runtime, SUP_ENV.watchdog, SUP_ENV.healthProbe]) delete env[name];
  return { active, watchdogMs: active && Number.isFinite(ms) && ms > 0 ? ms : 0, healthProbe: active && healthProbe };
}

/** SUP_MONITOR_INTERVAL: default 1000 ms, at least 200. */
export function monitorInterval(env: NodeJS.ProcessEnv): number {
  const ms = Number(env[SUP_ENV.monitorInterval] ?? 1000);
  return Number.isFinite(ms) ? Math.max(200, Math.round(ms)) : 1000;
}

/** The sup variables of one process's environment, as /proc/<pid>/environ lists it (NUL-separated). */
export function supMarks(environ: string): SupMarks {
  const marks: SupMarks = {};
  for (const entry of environ.split('\0')) {
    const eq = entry.indexOf('=');
    const name = entry.slice(0, eq);
    if (name === SUP_ENV.home) marks.home = entry.slice(eq + 1);
    else if (name === SUP_ENV.keeperPid) marks.keeperPid = entry.slice(eq + 1);
    else if (name === SUP_ENV.appName) marks.app = entry.slice(eq + 1);
    else if (name === SUP_ENV.runKey) marks.run = entry.slice(eq + 1);
  }
  return marks;
}

/** What a process's environment says of it when sup started it (or something sup started did). */
export interface SupMarks {
  home?: string;
  keeperPid?: string;
  app?: string;
  run?: string;
}
