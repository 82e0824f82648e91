import { tokenMatches } from '../auth-token-guard.js';

/** operator: sees and acts (the daemon's own token); viewer: sees only (the web token). */
export type Role = 'operator' | 'viewer';

export interface WebTokens {
  operator: string;
  viewer: string;
}

/** The role a presented token grants, compared in constant time; null for anything else. */
export function roleOf(tokens: WebTokens, presented: string | undefined): Role | null {
  if (presented === undefined) return null;
  if (tokenMatches(tokens.operator, presented)) return 'operator';
  if (tokenMatches(tokens.viewer, presented)) return 'viewer';
  return null;
}

/** `Authorization: Bearer <token>` → the token. */
export function bearerToken(header: string | undefined): string | undefined {
  const m = header === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(header);
  return m?.[1];
}

/** One cookie's value from a Cookie header. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/**
 * Whether a Host header names this server: a page served under another name (DNS rebinding: evil.example
 * resolving to 127.0.0.1) must not read anything, since the browser would treat it as that other site's.
 */
export function hostAllowed(host: string | undefined, allowed: ReadonlySet<string>): boolean {
  return host !== undefined && allowed.has(host.toLowerCase());
}

/** A WebSocket upgrade must come from a page of this very server: its Origin is http://<one of our hosts>. */
export function originAllowed(origin: string | undefined, allowed: ReadonlySet<string>): boolean {
  if (origin === undefined) return false;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  return url.protocol === 'http:' && allowed.has(url.host.toLowerCase()) && url.pathname === '/';
}

/**
 * The Host values this server answers to, for a bind address and port: loopback names for a loopback bind; for a
 * wildcard bind (0.0.0.0, ::) also this machine's name and interface addresses; else the address itself.
 */
export function allowedHosts(
  bindHost: string,
  port: number,
  machine: { hostname: string; addresses: string[] } = { hostname: '', addresses: [] },
): Set<string> {
  const names = new Set([bindHost]);
  const loopback = ['127.0.0.1', 'localhost', '::1'];
  if (loopback.includes(bindHost)) for (const n of loopback) names.add(n);
  if (bindHost === '0.0.0.0' || bindHost === '::') {
    for (const n of [...loopback, machine.hostname, ...machine.addresses]) if (n) names.add(n);
  }
  return new Set([...names].map((n) => (n.includes(':') ? `[${n}]:${port}` : `${n}:${port}`).toLowerCase()));
}
