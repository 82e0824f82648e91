import { closeSync, constants, linkSync, lstatSync, openSync, readSync, unlinkSync, writeSync } from 'node:fs';
import { readToken } from './auth-token.js';
import { SupError } from './errors.js';

// The token's holders' side (daemon, keeper, web server): creating it and comparing a presented one in constant time.
// Without node:crypto: loading it costs the daemon and the keeper ~0.45 MiB each and a few ms of start-up.

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

/** Whether a presented token is the expected one, in a time that depends on the length only (which is public). */
export function tokenMatches(expected: string, presented: string | string[] | undefined): boolean {
  if (typeof presented !== 'string' || presented.length !== expected.length) return false;
  let differs = 0;
  for (let i = 0; i < expected.length; i++) differs |= expected.charCodeAt(i) ^ presented.charCodeAt(i);
  return differs === 0;
}

/** The kernel's random bytes, as node:crypto's randomBytes takes them (getrandom or the same device). */
function randomBytes(size: number): Buffer {
  const bytes = Buffer.alloc(size);
  const fd = openSync('/dev/urandom', 'r');
  try {
    for (let got = 0; got < size; ) got += readSync(fd, bytes, got, size - got, null);
  } finally {
    closeSync(fd);
  }
  return bytes;
}
