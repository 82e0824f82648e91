import { connect, type Socket } from 'node:net';
import { SUP_ENV } from '../../env.js';
import { SupError } from '../../errors.js';
import type { SupPaths } from '../../paths.js';
import { startSupProcess } from '../../sup-process.js';

const START_TIMEOUT_MS = 10_000;

/**
 * Connects to the keeper of this SUP_HOME, starting one when none answers (a daemon never runs apps without one). Only
 * once the daemon holds its socket (daemon/main.ts): two Node processes booting at once on 2 cores slow each other, and
 * a keeper started beside its daemon made no first command quicker.
 */
export async function connectKeeper(paths: SupPaths, foreground: boolean): Promise<Socket> {
  const first = await tryConnect(paths.keeperSocket);
  if (first) return first;
  const keeper = startSupProcess('keeper', paths, foreground ? { [SUP_ENV.keeperMode]: 'foreground' } : {});
  let exitCode: number | null = keeper.exitCode;
  keeper.once('exit', (code) => (exitCode = code ?? 1));
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (let delay = 5; ; delay = Math.min(delay * 2, 50)) {
    await new Promise((r) => setTimeout(r, delay));
    const socket = await tryConnect(paths.keeperSocket);
    if (socket) return socket;
    if (exitCode !== null && exitCode !== 0)
      throw new SupError('DAEMON_START_FAILED', `the sup keeper failed to start (exit code ${exitCode}); see ${paths.daemonLog}`);
    if (Date.now() > deadline)
      throw new SupError(
        'DAEMON_START_FAILED',
        `the sup keeper did not answer within ${START_TIMEOUT_MS / 1000} s; see ${paths.daemonLog}`,
      );
  }
}

function tryConnect(path: string): Promise<Socket | undefined> {
  return new Promise((resolve) => {
    const socket = connect(path);
    socket.once('connect', () => {
      socket.removeAllListeners('error');
      resolve(socket);
    });
    socket.once('error', () => resolve(undefined));
  });
}
