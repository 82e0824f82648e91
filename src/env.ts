/**
 * Every SUP_* environment variable sup reads or writes, named once. Readers parse them here too, so that a
 * variable's meaning lives in one place.
 */
export const SUP_ENV = {
  /** The daemon's folder (socket, token, state, logs); default ~/.sup. */
  home: 'SUP_HOME',
  /** Set in every app process: the pid of the daemon that started it (with SUP_HOME, how a later daemon finds leftovers). */
  daemonPid: 'SUP_DAEMON_PID',
  /** Set in every app process: its app's name and its instance id. */
  appName: 'SUP_APP_NAME',
  id: 'SUP_ID',
  /** Set to "0" in cluster workers of apps with drain_http off. */
  drainHttp: 'SUP_DRAIN_HTTP',
  /** The daemon's sampling interval in ms (default 1000, at least 200). */
  monitorInterval: 'SUP_MONITOR_INTERVAL',
  /** "off": no guardian (systemd restarts the daemon instead). */
  guardian: 'SUP_GUARDIAN',
  /** "1": the daemon brings back the saved list at start (the boot unit). */
  resurrect: 'SUP_RESURRECT',
  /** The times of the guardian's recent respawns, comma-separated, handed to the daemon it starts. */
  respawns: 'SUP_RESPAWNS',
} as const;

/** Variables a daemon must not pass on to the next one it starts (they describe this one). */
export const DAEMON_OWN_VARS: readonly string[] = [SUP_ENV.daemonPid, SUP_ENV.resurrect, SUP_ENV.respawns];

/** SUP_MONITOR_INTERVAL: default 1000 ms, at least 200. */
export function monitorInterval(env: NodeJS.ProcessEnv): number {
  const ms = Number(env[SUP_ENV.monitorInterval] ?? 1000);
  return Number.isFinite(ms) ? Math.max(200, Math.round(ms)) : 1000;
}

/** The sup variables of one process's environment, as /proc/<pid>/environ lists it (NUL-separated). */
export function supMarks(environ: string): { home?: string; daemonPid?: string; app?: string } {
  const marks: { home?: string; daemonPid?: string; app?: string } = {};
  for (const entry of environ.split('\0')) {
    const eq = entry.indexOf('=');
    const name = entry.slice(0, eq);
    if (name === SUP_ENV.home) marks.home = entry.slice(eq + 1);
    else if (name === SUP_ENV.daemonPid) marks.daemonPid = entry.slice(eq + 1);
    else if (name === SUP_ENV.appName) marks.app = entry.slice(eq + 1);
  }
  return marks;
}
