import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DAEMON_OWN_VARS, SUP_ENV } from '../env.js';
import type { SupPaths } from '../paths.js';

// Apart from the client, so that the guardian, which only ever starts daemons, does not load a WebSocket library.
/** Starts a daemon, detached, writing to the daemon log (it starts its guardian once it owns the socket). */
export function spawnDaemon(paths: SupPaths, extraEnv: Record<string, string> = {}) {
  const entry = fileURLToPath(new URL('../bin/sup-daemon.js', import.meta.url));
  const logFd = openSync(paths.daemonLog, 'a', 0o600);
  // A CLI run by an app carries that app's marks; the new daemon's apps get marks of their own.
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !DAEMON_OWN_VARS.includes(name)));
  try {
    const child = spawn(process.execPath, [entry], {
      detached: true,
      stdio: ['ignore', logFd, logFd],
      cwd: paths.home,
      env: { ...env, [SUP_ENV.home]: paths.home, ...extraEnv },
    });
    child.unref();
    return child;
  } finally {
    closeSync(logFd);
  }
}
