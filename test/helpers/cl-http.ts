import { existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { waitFor } from './sup.js';

/**
 * `count` consecutive free loopback ports, checked by binding them, so that test files running in parallel never
 * collide on a fixed number. Picked below the ephemeral range, where the kernel does not hand out the same port
 * to some client's outgoing connection between this check and the app's listen().
 */
export async function freePorts(count = 1): Promise<number> {
  const ephemeralLow = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]) || 32768;
  const [low, high] = [10_000, Math.max(ephemeralLow, 20_000) - count];
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = low + Math.floor(Math.random() * (high - low));
    let ok = true;
    for (let i = 0; i < count && ok; i++) ok = (await bind(base + i)) !== undefined;
    if (ok) return base;
  }
  throw new Error(`no ${count} consecutive free ports on 127.0.0.1 in ${low}..${high}`);
}

function bind(port: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(undefined));
    server.listen(port, '127.0.0.1', () => {
      const bound = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(bound));
    });
  });
}

export interface Reply {
  status: number;
  body: string;
}

/** One GET to 127.0.0.1:port; a new connection unless an agent is given. Rejects on error or after timeoutMs. */
export function get(port: number, agent: http.Agent | false = false, timeoutMs = 5000): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/', agent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
  });
}

/** Sends `requests` GETs, each on a new connection (so that the cluster's round-robin spreads them), and returns the bodies. */
export async function bodies(port: number, requests: number): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < requests; i++) {
    const reply = await get(port);
    if (reply.status !== 200) throw new Error(`HTTP ${reply.status} from port ${port}: ${reply.body}`);
    out.push(reply.body.trim());
  }
  return out;
}

/** The pids that answer on the port (the first word of http.js's and ipc.js's answers). */
export async function answeringPids(port: number, requests: number): Promise<Set<number>> {
  return new Set((await bodies(port, requests)).map((b) => Number(b.split(' ')[0])));
}

/** Waits until the port answers at all (a worker listens). */
export function waitForHttp(port: number, timeoutMs = 10_000): Promise<Reply> {
  return waitFor(
    `HTTP on 127.0.0.1:${port}`,
    async () => {
      const reply = await get(port, false, 1000);
      return reply.status === 200 ? reply : undefined;
    },
    timeoutMs,
  );
}

export interface Recorded {
  pid: number;
  signal?: string;
  message?: unknown;
}

/** The JSON lines that ipc.js appends to its RECORD_FILE. */
export function readRecord(path: string): Recorded[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Recorded);
}
