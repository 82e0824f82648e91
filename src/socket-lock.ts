import { chmodSync, closeSync, openSync, statSync, unlinkSync, writeSync } from 'node:fs';
import type { Server } from 'node:net';
import { connect } from 'node:net';

export type BindOutcome = { kind: 'bound' } | { kind: 'taken' };

const LOCK_STALE_MS = 10_000;
const LOCK_WAIT_MS = 5_000;

/**
 * Binds the control socket so that exactly one daemon owns a SUP_HOME.
 * Binding is atomic; the only race is two daemons removing the same stale socket file,
 * so that step alone runs under a lock file.
 */
export async function bindControlSocket(
  server: Server,
  socketPath: string,
  lockPath: string,
  log: (message: string) => void,
): Promise<BindOutcome> {
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      await listen(server, socketPath);
      return { kind: 'bound' };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
    }
    if (await isAnswering(socketPath)) return { kind: 'taken' };
    const release = await takeLock(lockPath);
    try {
      if (await isAnswering(socketPath)) return { kind: 'taken' };
      unlinkQuietly(socketPath);
      log(`removed a stale control socket left by a daemon that is no longer running (${socketPath})`);
      await listen(server, socketPath);
      return { kind: 'bound' };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
    } finally {
      release();
    }
  }
  return (await isAnswering(socketPath)) ? { kind: 'taken' } : Promise.reject(new Error(`cannot bind ${socketPath}`));
}

/** True when a live process accepts connections on the socket. */
export function isAnswering(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(socketPath);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Listens with a umask that makes the socket 0600 from its first instant (no window before a chmod). */
function listen(server: Server, path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const previousUmask = process.umask(0o177);
    const onError = (err: Error) => {
      process.umask(previousUmask);
      server.off('listening', onListening);
      reject(err);
    };
    const onListening = () => {
      process.umask(previousUmask);
      server.off('error', onError);
      chmodSync(path, 0o600);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(path);
  });
}

async function takeLock(path: string): Promise<() => void> {
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => unlinkQuietly(path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    // The lock is held for milliseconds; one this old belongs to a daemon that died holding it.
    if (isOlderThan(path, LOCK_STALE_MS) || Date.now() > deadline) unlinkQuietly(path);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function isOlderThan(path: string, ms: number): boolean {
  try {
    return Date.now() - statSync(path).mtimeMs > ms;
  } catch {
    return false;
  }
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}
