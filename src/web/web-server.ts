import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { bearerToken, cookieValue, hostAllowed, originAllowed, type Role, roleOf, type WebTokens } from './access.js';
import { LoginLimiter } from './login-limiter.js';
import { SESSION_COOKIE, Sessions } from './sessions.js';
import { loginPage } from './login-page.js';

export interface WebServerOptions {
  tokens: WebTokens;
  /** Host header values this server answers to. */
  hosts: ReadonlySet<string>;
  /** The dashboard page (one self-contained HTML file). */
  page: string;
  /** /metrics without a token (`sup web --metrics-public`). */
  metricsPublic: boolean;
  metrics(): string;
  /** A page's WebSocket was accepted, with the role of its session and a check that the session still holds. */
  connected(ws: import('ws').WebSocket, role: Role, valid: () => boolean): void;
}

const MAX_WS_PAYLOAD = 64 * 1024;

/** Content-Security-Policy letting only the page's own inline script and style run (by hash): nothing from elsewhere. */
function policyFor(page: string): string {
  const hashes = (tag: string) =>
    [...page.matchAll(new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`, 'g'))].map(
      (m) => `'sha256-${createHash('sha256').update(m[1]!).digest('base64')}'`,
    );
  return [
    "default-src 'none'",
    `script-src ${hashes('script').join(' ')}`,
    `style-src ${hashes('style').join(' ')}`,
    "connect-src 'self'",
    "img-src 'self' data:",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * The dashboard's HTTP server: the login by token URL, the page, /metrics and the page's WebSocket. No CORS
 * headers at all (a page elsewhere cannot read any answer); every answer carries no-store and no-referrer.
 */
export function createWebServer(options: WebServerOptions): { http: Server; close(): void } {
  // Cookies do not tell ports apart: a server of another local user on 127.0.0.1:8080 would receive this one's session
  // cookie. Scoped to a random path of this run, the cookie goes only where that path is known.
  const base = `/s/${randomBytes(16).toString('hex')}/`;
  const sessions = new Sessions(base);
  const limiter = new LoginLimiter();
  const pagePolicy = policyFor(options.page);
  const loginPolicy = policyFor(loginPage(''));
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_WS_PAYLOAD, perMessageDeflate: false });
  const sessionRole = (req: IncomingMessage) => sessions.roleOf(cookieValue(req.headers.cookie, SESSION_COOKIE));

  const reply = (res: ServerResponse, status: number, type: string, body: string, headers: Record<string, string> = {}) => {
    res.writeHead(status, {
      'content-type': type,
      'cache-control': 'no-store',
      'referrer-policy': 'no-referrer',
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      ...headers,
    });
    res.end(body);
  };

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    if (!hostAllowed(req.headers.host, options.hosts))
      return reply(res, 421, 'text/plain', 'this server does not answer to that host name\n');
    const url = new URL(req.url ?? '/', 'http://local');
    if (req.method !== 'GET' && req.method !== 'HEAD') return reply(res, 405, 'text/plain', 'GET only\n', { allow: 'GET, HEAD' });
    if (url.pathname === '/metrics') {
      const allowed =
        options.metricsPublic || roleOf(options.tokens, bearerToken(req.headers.authorization)) !== null || sessionRole(req) !== null;
      if (!allowed)
        return reply(res, 401, 'text/plain', 'a token is required: Authorization: Bearer <token>\n', {
          'www-authenticate': 'Bearer realm="sup"',
        });
      return reply(res, 200, 'text/plain; version=0.0.4; charset=utf-8', options.metrics());
    }
    if (url.pathname === base) {
      if (!sessionRole(req)) return reply(res, 401, 'text/html; charset=utf-8', loginPage(''), { 'content-security-policy': loginPolicy });
      return reply(res, 200, 'text/html; charset=utf-8', options.page, { 'content-security-policy': pagePolicy });
    }
    if (url.pathname !== '/') return reply(res, 404, 'text/plain', 'not found\n');
    const presented = url.searchParams.get('token');
    if (presented !== null) {
      const address = req.socket.remoteAddress ?? '?';
      const now = Date.now();
      if (!limiter.allows(address, now)) {
        return reply(res, 429, 'text/html; charset=utf-8', loginPage('Too many wrong tokens; wait a minute.'), {
          'retry-after': String(limiter.retryAfter(address, now)),
          'content-security-policy': loginPolicy,
        });
      }
      const role = roleOf(options.tokens, presented);
      if (!role) {
        limiter.failed(address, now);
        return reply(res, 401, 'text/html; charset=utf-8', loginPage('That token is not valid.'), {
          'content-security-policy': loginPolicy,
        });
      }
      // The token leaves the address bar (and the history entry) at once; the cookie stands for it from now on.
      return reply(res, 303, 'text/plain', 'logged in\n', { location: base, 'set-cookie': sessions.cookie(sessions.create(role)) });
    }
    return reply(res, 401, 'text/html; charset=utf-8', loginPage(''), { 'content-security-policy': loginPolicy });
  };

  const refuse = (socket: Duplex, status: number, text: string) => {
    socket.end(`HTTP/1.1 ${status} ${text}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
  };

  const http = createServer(handle);
  http.on('clientError', (_err, socket) => socket.destroy());
  http.on('upgrade', (req, socket, head) => {
    socket.on('error', () => undefined);
    if (!hostAllowed(req.headers.host, options.hosts)) return refuse(socket, 421, 'Misdirected Request');
    if (new URL(req.url ?? '/', 'http://local').pathname !== `${base}ws`) return refuse(socket, 404, 'Not Found');
    // A page of another site could open a WebSocket here with the user's cookie (SameSite does not cover every case): its Origin gives it away.
    if (!originAllowed(req.headers.origin, options.hosts)) return refuse(socket, 403, 'Forbidden');
    const id = cookieValue(req.headers.cookie, SESSION_COOKIE);
    const role = sessions.roleOf(id);
    if (!role) return refuse(socket, 401, 'Unauthorized');
    wss.handleUpgrade(req, socket, head, (ws) => options.connected(ws, role, () => sessions.roleOf(id) !== null));
  });
  return {
    http,
    close: () => {
      for (const ws of wss.clients) ws.terminate();
      wss.close();
      http.close();
      http.closeAllConnections();
    },
  };
}
