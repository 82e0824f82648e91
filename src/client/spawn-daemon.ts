import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DAEMON_PID_VAR } from '../daemon/leftovers.js';
import { RESPAWNS_VAR } from '../daemon/respawn-policy.js';
import { SupError, isSupError } from '../errors.js';
import { ensureHome } from '../home.js';
import type { SupPaths } from '../paths.js';
import { SupClient } from './client.js';

const START_TIMEOUT_MS = 10_000;

export interface ConnectResult {
  client: SupClient;
  /** One line for the user when something was noticed on the way (a stale socket, a fresh daemon). */
  notice?: string;
}

/**
 * Connects to the daemon of this SUP_HOME, starting one if none answers. Two callers racing here
 * each start a daemon, but only one can bind the socket; the other exits and both connect to the winner.
 */
export async function connectOrSpawn(paths: SupPaths): Promise<ConnectResult> {
  try {
    return { client: await SupClient.connect(paths.socket) };
  } catch (err) {
    if (!isSupError(err) || err.code !== 'DAEMON_UNREACHABLE') throw err;
  }
  ensureHome(paths.home);
  const stalePid = existsSync(paths.socket) ? readPid(paths.pidFile) : undefined;
  const daemon = spawnDaemon(paths);
  let exitCode: number | null = null;
  daemon.once('exit', (code) => (exitCode = code ?? 1));

  const deadline = Date.now() + START_TIMEOUT_MS;
  for (let delay = 5; ; delay = Math.min(delay * 2, 50)) {
    try {
      const client = await SupClient.connect(paths.socket);
      const notice =
        stalePid !== undefined
          ? `sup: the previous daemon${stalePid ? ` (pid ${stalePid})` : ''} is gone; cleaned up its stale socket and started a new one`
          : undefined;
      return notice ? { client, notice } : { client };
    } catch (err) {
      if (!isSupError(err) || err.code !== 'DAEMON_UNREACHABLE') throw err;
    }
    if (exitCode !== null && exitCode !== 0) {
      throw new SupError('DAEMON_START_FAILED', `the sup daemon failed to start (exit code ${exitCode}):\n${tail(paths.daemonLog)}`);
    }
    if (Date.now() > deadline) {
      throw new SupError('DAEMON_START_FAILED', `the sup daemon did not answer within ${START_TIMEOUT_MS / 1000} s; see ${paths.daemonLog}`);
    }
    await new Promise((r) => setTimeout(r, delay));
  }
}

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

function readPid(path: string): number | 0 {
  try {
    return Number(readFileSync(path, 'utf8').trim()) || 0;
  } catch {
    return 0;
  }
}

function tail(path: string): string {
  try {
    return readFileSync(path, 'utf8').trimEnd().split('\n').slice(-5).join('\n');
  } catch {
    return '(no daemon log)';
  }
}
