import { readFileSync } from 'node:fs';
import { hostname, networkInterfaces } from 'node:os';
import { join } from 'node:path';
import type { WebSocket } from 'ws';
import { ensureToken } from '../auth-token-guard.js';
import { readToken } from '../auth-token.js';
import { SupError } from '../errors.js';
import { supFile } from '../install-paths.js';
import type { SupPaths } from '../paths.js';
import { DaemonLink } from '../tui/daemon-link.js';
import { supVersion } from '../version.js';
import { allowedHosts, type Role } from './access.js';
import { BrowserLink } from './browser-link.js';
import { ProcessCache } from './process-cache.js';
import { renderMetrics } from './prometheus.js';
import { createWebServer } from './web-server.js';

export interface WebOptions {
  port: number;
  host: string;
  metricsPublic: boolean;
}

export interface RunningWeb {
  url: string;
  /** The login addresses: the operator's (acts) and the viewer's (read-only). */
  operatorUrl: string;
  viewerUrl: string;
  close(): void;
}

/** The dashboard page, read once from the package (assets/web/dashboard.html, beside dist/ and src/). */
function readPage(): string {
  return readFileSync(supFile('webPage'), 'utf8');
}

/** The daemon's resident memory, read from /proc by this process: no request to the daemon, no sampling pass. */
function daemonMemory(pid: number): number | null {
  try {
    const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/**
 * `sup web`: a process of its own (the daemon loads no web code), a client of the daemon's socket like `sup monit`.
 * It holds the process list from the daemon's events and pushes them to every page; /metrics reads the same list.
 */
export async function startWeb(paths: SupPaths, options: WebOptions): Promise<RunningWeb> {
  const page = readPage();
  const cache = new ProcessCache();
  const pages = new Set<BrowserLink>();
  let daemon = { pid: 0, version: '', startedAt: Date.now(), connected: false };
  const broadcast = (message: Parameters<BrowserLink['send']>[0]) => {
    for (const p of pages) p.send(message);
  };

  const link = new DaemonLink(paths, {
    connected: (client, processes) => {
      cache.reset(processes, Date.now());
      daemon = { pid: client.daemon.pid, version: client.daemon.version, startedAt: daemon.startedAt, connected: true };
      void client.request('ping', {}).then(
        (p) => (daemon.startedAt = Date.now() - p.uptime),
        () => undefined,
      );
      broadcast({ type: 'daemon', connected: true, reason: null });
      broadcast({ type: 'snapshot', processes: cache.list(Date.now()) });
    },
    event: (event) => {
      cache.apply(event, Date.now());
      for (const p of pages) p.event(event);
    },
    disconnected: (reason) => {
      daemon.connected = false;
      broadcast({ type: 'daemon', connected: false, reason });
    },
  });
  await link.start();

  const operator = readToken(paths.token);
  if (!operator) throw new SupError('UNSAFE_HOME', `${paths.token} holds no valid token; is the daemon running?`);
  const tokens = { operator, viewer: ensureToken(join(paths.home, 'web-token')) };

  // Filled once the port is known (--port 0 picks one).
  const hosts = new Set<string>();
  const server = createWebServer({
    tokens,
    hosts,
    page,
    metricsPublic: options.metricsPublic,
    metrics: () =>
      renderMetrics(
        cache.list(Date.now()),
        {
          version: daemon.version,
          pid: daemon.pid,
          uptimeMs: Date.now() - daemon.startedAt,
          memoryBytes: daemonMemory(daemon.pid),
          connected: daemon.connected,
        },
        (id) => cache.memoryLimitRestarts(id),
      ),
    connected: (ws: WebSocket, role: Role, valid: () => boolean) => {
      const browser = new BrowserLink(ws, role, valid, () => link.current);
      pages.add(browser);
      ws.on('close', () => pages.delete(browser));
      browser.send({ type: 'hello', role, version: supVersion() });
      browser.send({ type: 'daemon', connected: daemon.connected, reason: null });
      browser.send({ type: 'snapshot', processes: cache.list(Date.now()) });
    },
  });

  try {
    await new Promise<void>((resolve, reject) => {
      server.http.once('error', reject);
      server.http.listen(options.port, options.host, () => resolve());
    });
  } catch (err) {
    link.close();
    const code = (err as NodeJS.ErrnoException).code;
    throw new SupError('USAGE', `cannot listen on ${options.host}:${options.port} (${code ?? String(err)}); choose another --port`, {
      cause: err,
    });
  }
  const address = server.http.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const addresses = Object.values(networkInterfaces()).flatMap((list) => (list ?? []).map((i) => i.address));
  for (const h of allowedHosts(options.host, port, { hostname: hostname(), addresses })) hosts.add(h);
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  const url = `http://${host}:${port}/`;
  return {
    url,
    operatorUrl: `${url}?token=${tokens.operator}`,
    viewerUrl: `${url}?token=${tokens.viewer}`,
    close: () => {
      link.close();
      server.close();
    },
  };
}
