import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { tokenPath } from './auth-token.js';
import { SupError } from './errors.js';

export interface SupPaths {
  home: string;
  socket: string;
  pidFile: string;
  daemonLog: string;
  logsDir: string;
  /** Guards the short "remove a stale socket, then bind" step between two starting daemons. */
  bindLock: string;
  /** The secret clients present on connect (see auth-token.ts). */
  token: string;
  /** The live state, rewritten on every change: what a daemon restarted after a crash brings back. */
  stateFile: string;
  /** `sup save`: the list `sup resurrect` (and the boot unit) brings back. */
  dumpFile: string;
  /** The keeper: the parent of every app, which outlives the daemon (and restarts a daemon that died). */
  keeperSocket: string;
  keeperPidFile: string;
}

// sun_path is 108 bytes on Linux and 104 on macOS; keep within the smaller one.
const MAX_SOCKET_PATH = 103;

export function resolvePaths(env: NodeJS.ProcessEnv = process.env): SupPaths {
  const home = resolve(env.SUP_HOME || join(homedir(), '.sup'));
  const socket = join(home, 'sup.sock');
  if (Buffer.byteLength(socket) > MAX_SOCKET_PATH) {
    throw new SupError(
      'UNSAFE_HOME',
      `SUP_HOME is too long for a unix socket (${socket} is over ${MAX_SOCKET_PATH} bytes); choose a shorter SUP_HOME`,
    );
  }
  return {
    home,
    socket,
    pidFile: join(home, 'daemon.pid'),
    daemonLog: join(home, 'daemon.log'),
    logsDir: join(home, 'logs'),
    bindLock: join(home, 'bind.lock'),
    token: tokenPath(socket),
    stateFile: join(home, 'state.json'),
    dumpFile: join(home, 'dump.json'),
    keeperSocket: join(home, 'keeper.sock'),
    keeperPidFile: join(home, 'keeper.pid'),
  };
}

/** Files sup itself writes in SUP_HOME: a watcher must never take a change in them for the app's. */
export function supOwnFiles(paths: SupPaths): string[] {
  const { socket, pidFile, daemonLog, logsDir, bindLock, token, stateFile, dumpFile, keeperSocket, keeperPidFile } = paths;
  const withCopies = (file: string) => [file, `${file}.bak`, `${file}.tmp-${process.pid}`];
  return [
    socket,
    pidFile,
    daemonLog,
    logsDir,
    bindLock,
    token,
    keeperSocket,
    keeperPidFile,
    ...withCopies(stateFile),
    ...withCopies(dumpFile),
  ];
}
