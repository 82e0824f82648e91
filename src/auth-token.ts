import { randomBytes, timingSafeEqual } from 'node:crypto';
import { closeSync, constants, linkSync, lstatSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { SupError } from './errors.js';

/**
 * The control socket's second lock, besides its 0600 mode: a random token in SUP_HOME (0600) that every
 * client presents when it connects. Only someone who can read the owner's files can command the daemon.
 */
export const TOKEN_HEADER = 'x-sup-token';

/** The token file of the daemon listening on this socket: next to it, in SUP_HOME. */
export function tokenPath(socketPath: string): string {
  return join(dirname(socketPath), 'token');
}

/**
 * The daemon's side: the existing token, or a new one created 0600 (two daemons racing here share one). The file
 * appears whole (written aside, then linked into place), so that nobody ever reads it empty.
 */
export function ensureToken(path: string): string {
  const aside = `${path}.${process.pid}`;
  const fd = openSync(aside, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC, 0o600);
  try {
    writeSync(fd, randomBytes(32).toString('hex'));
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(aside, path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  } finally {
    unlinkSync(aside);
  }
  const stat = lstatSync(path);
  if (!stat.isFile() || (stat.mode & 0o077) !== 0 || (typeof process.getuid === 'function' && stat.uid !== process.getuid())) {
    throw new SupError('UNSAFE_HOME', `${path} must be a file only you can read (mode 600); remove it and start again`);
  }
  const token = readToken(path);
  if (!token) throw new SupError('UNSAFE_HOME', `${path} holds no valid token; remove it and start again`);
  return token;
}

/** The client's side: undefined when there is no token (no daemon ever ran in this SUP_HOME). */
export function readToken(path: string): string | undefined {
  try {
    const token = readFileSync(path, 'utf8').trim();
    return /^[0-9a-f]{64}$/.test(token) ? token : undefined;
  } catch {
    return undefined;
  }
}

export function tokenMatches(expected: string, presented: string | string[] | undefined): boolean {
  if (typeof presented !== 'string' || presented.length !== expected.length) return false;
  return timingSafeEqual(Buffer.from(presented), Buffer.from(expected));
}
