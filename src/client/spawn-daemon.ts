import { existsSync, readFileSync } from 'node:fs';
import { ensureToken } from '../auth-token-guard.js';
import { SupError, isSupError } from '../errors.js';
import { ensureHome } from '../home.js';
import type { SupPaths } from '../paths.js';
import { SupClient } from './client.js';
import { SocketWatch } from './socket-watch.js';

const START_TIMEOUT_MS = 10_000;
const TOKEN_RACE_MS = 2000;

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
  let spawn = true;
  const socketFile = existsSync(paths.socket);
  // No socket file, no daemon: a first command starts one without trying (its start is that command's longest step).
  if (socketFile) {
    try {
      return { client: await SupClient.connect(paths.socket) };
    } catch (err) {
      // A 401 at once is a daemon that another command just started: its token was read before it was written.
      if (isSupError(err) && err.code === 'UNAUTHORIZED') spawn = false;
      else if (!isSupError(err) || err.code !== 'DAEMON_UNREACHABLE') throw err;
    }
  }
  ensureHome(paths.home);
  // The token is made here, once per home, so that the long-lived daemon need not load node:crypto to make it. Before
  // the daemon starts: made after, on a loaded machine the daemon got there first (and carried node:crypto).
  if (spawn) ensureToken(paths.token);
  const socketPid = spawn && socketFile ? readPid(paths.pidFile) : undefined;
  let exitCode: number | null = null;
  // Watching from before the daemon exists: its socket cannot appear unseen.
  const watch = new SocketWatch(paths.socket);
  try {
    if (spawn) {
      // child_process (and with it dgram and more) loads only when a daemon has to be started, not on every call.
      const { startSupProcess } = await import('../sup-process.js');
      startSupProcess('daemon', paths).once('exit', (code) => (exitCode = code ?? 1));
    }
    // A token refused for longer than a daemon takes to start is no race: it is another home's daemon.
    const authDeadline = Date.now() + (spawn ? START_TIMEOUT_MS : TOKEN_RACE_MS);
    const client = await retryConnect(
      paths,
      authDeadline,
      () => exitCode,
      (ms) => watch.next(ms),
    );
    // The socket was stale only if another daemon than the one it named answers: the same one was still starting
    // (another command's), not gone.
    const stale = socketPid !== undefined && socketPid !== 0 && readPid(paths.pidFile) !== socketPid;
    const notice = stale
      ? `sup: the previous daemon (pid ${socketPid}) is gone; cleaned up its stale socket and started a new one`
      : undefined;
    return notice ? { client, notice } : { client };
  } finally {
    watch.close();
  }
}

/**
 * Tries to connect until a daemon answers, the one started exits with an error, or START_TIMEOUT_MS pass. Between
 * tries, `pause`: 5 then 10 ms at most (a new daemon answers within a few hundred ms, a try on a socket not there yet
 * costs little), ended early when the socket appears.
 */
async function retryConnect(
  paths: SupPaths,
  authDeadline: number,
  exitCode: () => number | null,
  pause: (ms: number) => Promise<void>,
): Promise<SupClient> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (let delay = 5; ; delay = Math.min(delay * 2, 10)) {
    try {
      return await SupClient.connect(paths.socket);
    } catch (err) {
      // A 401 here is a race, not a stranger: the token was read before the new daemon wrote it, and the
      // connection reached the socket just after it was bound. The next attempt reads the token.
      const retryable = isSupError(err) && (err.code === 'DAEMON_UNREACHABLE' || err.code === 'UNAUTHORIZED');
      if (!retryable || (err.code === 'UNAUTHORIZED' && Date.now() > authDeadline)) throw err;
    }
    const code = exitCode();
    if (code !== null && code !== 0) {
      throw new SupError('DAEMON_START_FAILED', `the sup daemon failed to start (exit code ${code}):\n${tail(paths.daemonLog)}`);
    }
    if (Date.now() > deadline) {
      throw new SupError(
        'DAEMON_START_FAILED',
        `the sup daemon did not answer within ${START_TIMEOUT_MS / 1000} s; see ${paths.daemonLog}`,
      );
    }
    await pause(delay);
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
