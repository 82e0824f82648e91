import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The control socket's second lock, besides its 0600 mode: a random token in SUP_HOME (0600) that every
 * client presents when it connects. Only someone who can read the owner's files can command the daemon.
 * This file is the clients' side and loads no crypto (every CLI call reads it); the holders' side is auth-token-guard.ts.
 */
export const TOKEN_HEADER = 'x-sup-token';

/** The token file of the daemon listening on this socket: next to it, in SUP_HOME. */
export function tokenPath(socketPath: string): string {
  return join(dirname(socketPath), 'token');
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
