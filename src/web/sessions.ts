import { randomBytes } from 'node:crypto';
import type { Role } from './access.js';

export const SESSION_COOKIE = 'sup_session';
const TTL_MS = 12 * 60 * 60 * 1000;

/** Logged-in browsers: a random id in an HttpOnly cookie stands for a role, for 12 hours; memory only (a restart logs everyone out). */
export class Sessions {
  private readonly byId = new Map<string, { role: Role; expires: number }>();

  /** `path`: where the cookie is sent (the dashboard's own path, see web-server.ts). */
  constructor(private readonly path: string) {}

  create(role: Role, now = Date.now()): string {
    const id = randomBytes(32).toString('hex');
    this.byId.set(id, { role, expires: now + TTL_MS });
    return id;
  }

  roleOf(id: string | undefined, now = Date.now()): Role | null {
    if (id === undefined) return null;
    const session = this.byId.get(id);
    if (!session) return null;
    if (session.expires <= now) {
      this.byId.delete(id);
      return null;
    }
    return session.role;
  }

  /** The Set-Cookie value: not readable by scripts, never sent with another site's requests. */
  cookie(id: string): string {
    return `${SESSION_COOKIE}=${id}; HttpOnly; SameSite=Strict; Path=${this.path}; Max-Age=${TTL_MS / 1000}`;
  }
}
