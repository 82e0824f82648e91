import { closeSync, constants, existsSync, linkSync, lstatSync, openSync, unlinkSync, writeSync } from 'node:fs';
import { readToken } from './auth-token.js';
import { SupError } from './errors.js';

// The token's holders' side (daemon, keeper, web server): creating it and comparing a presented one in constant time.

/**
 * The existing token, checked (a file only its owner reads), or a new one. A token is made once per SUP_HOME, by the
 * first CLI command that starts a daemon there (client/spawn-daemon.ts); the daemon and keeper, which live long, then
 * only read it and never load node:crypto (~0.45 MiB each, and a few ms of their start).
 */
export function ensureToken(path: string): string {
  if (!existsSync(path)) createToken(path);
  const stat = lstatSync(path);
  if (!stat.isFile() || (stat.mode & 0o077) !== 0 || (typeof process.getuid === 'function' && stat.uid !== process.getuid())) {
    throw new SupError('UNSAFE_HOME', `${path} must be a file only you can read (mode 600); remove it and start again`);
  }
  const token = readToken(path);
  if (!token) throw new SupError('UNSAFE_HOME', `${path} holds no valid token; remove it and start again`);
  return token;
}

/**
 * 32 random bytes, created 0600 (two racing here share one). The file appears whole (written aside, then linked into
 * place), so that nobody ever reads it empty. node:crypto's randomBytes waits for the kernel's generator to be seeded,
 * which a first start at boot needs; loaded here only.
 */
function createToken(path: string): void {
  const aside = `${path}.${process.pid}`;
  const fd = openSync(aside, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC, 0o600);
  try {
    writeSync(fd, process.getBuiltinModule('node:crypto').randomBytes(32).toString('hex'));
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
}

/** Whether a presented token is the expected one, in a time that depends on the length only (which is public). */
export function tokenMatches(expected: string, presented: string | string[] | undefined): boolean {
  if (typeof presented !== 'string' || presented.length !== expected.length) return false;
  let differs = 0;
  for (let i = 0; i < expected.length; i++) differs |= expected.charCodeAt(i) ^ presented.charCodeAt(i);
  return differs === 0;
}
