import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { DAEMON_OWN_VARS, SUP_ENV } from './env.js';
import { withExtraCaMoved } from './extra-ca.js';
import { supFile } from './install-paths.js';
import { OWN_PROCESS_FLAGS } from './own-flags.js';
import type { SupPaths } from './paths.js';

/**
 * Starts one of sup's own processes, detached (its own session: a terminal's signals do not reach it), in SUP_HOME,
 * writing to the daemon log. Used by the CLI (a daemon), the daemon (its keeper) and the keeper (a daemon that died).
 * Small and apart from the client, so that the keeper does not load a WebSocket library.
 */
export function startSupProcess(which: 'daemon' | 'keeper', paths: SupPaths, extraEnv: Record<string, string> = {}): ChildProcess {
  const logFd = openSync(paths.daemonLog, 'a', 0o600);
  // A CLI run by an app carries that app's marks; sup's processes carry none.
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !DAEMON_OWN_VARS.includes(name)));
  const env = withExtraCaMoved({ ...inherited, [SUP_ENV.home]: paths.home, ...extraEnv });
  try {
    const child = spawn(process.execPath, [...OWN_PROCESS_FLAGS, supFile(which)], {
      detached: true,
      stdio: ['ignore', logFd, logFd],
      cwd: paths.home,
      env,
    });
    child.unref();
    return child;
  } finally {
    closeSync(logFd);
  }
}
