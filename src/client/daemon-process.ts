import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DAEMON_PID_VAR } from '../daemon/recovery/leftovers.js';
import { RESPAWNS_VAR } from '../daemon/recovery/respawn-policy.js';
import type { SupPaths } from '../paths.js';

// Apart from the client, so that the guardian, which only ever starts daemons, does not load a WebSocket library.
/** Starts a daemon, detached, writing to the daemon log (it starts its guardian once it owns the socket). */
export function spawnDaemon(paths: SupPaths, extraEnv: Record<string, string> = {}) {
  const entry = fileURLToPath(new URL('../bin/sup-daemon.js', import.meta.url));
  const logFd = openSync(paths.daemonLog, 'a', 0o600);
  // A CLI run by an app carries that app's marks; the new daemon's apps get marks of their own.
  const { [DAEMON_PID_VAR]: _mark, SUP_RESURRECT: _resurrect, [RESPAWNS_VAR]: _respawns, ...env } = process.env;
  try {
    const child = spawn(process.execPath, [entry], {
      detached: true,
      stdio: ['ignore', logFd, logFd],
      cwd: paths.home,
      env: { ...env, SUP_HOME: paths.home, ...extraEnv },
    });
    child.unref();
    return child;
  } finally {
    closeSync(logFd);
  }
}
