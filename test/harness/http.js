// @ts-check
/** Plain HTTP against apps on loopback: free ports, one GET, waiting until a port answers. */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { waitFor } from './wait.js';

/**
 * `count` consecutive free loopback ports, checked by binding them, so that tests and benchmarks running in parallel
 * never collide on a fixed number. Picked below the ephemeral range, where the kernel does not hand out the same
 * port to some client's outgoing connection between this check and the app's listen().
 * @param {number} [count]
 * @returns {Promise<number>} the first of them
 */
export async function freePorts(count = 1) {
  const ephemeralLow = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]) || 32768;
  const [low, high] = [10_000, Math.max(ephemeralLow, 20_000) - count];
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = low + Math.floor(Math.random() * (high - low));
    let ok = true;
    for (let i = 0; i < count && ok; i++) ok = await canBind(base + i);
    if (ok) return base;
  }
  throw new Error(`no ${count} consecutive free ports on 127.0.0.1 in ${low}..${high}`);
}

/** @param {number} port */
function canBind(port) {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** @typedef {{ status: number, body: string }} Reply */

/**
 * One GET / to 127.0.0.1:port; a new connection unless an agent is given. Rejects on error or after timeoutMs.
 * @param {number} port
 * @param {http.Agent | false} [agent]
 * @param {number} [timeoutMs]
 * @returns {Promise<Reply>}
 */
export function get(port, agent = false, timeoutMs = 5000) {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/', agent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
  });
}

/**
 * Whether the port answers 200 right now, on a connection of its own (no idle keep-alive socket is left behind for
 * a graceful drain to wait on).
 * @param {number} port
 * @param {number} [timeoutMs]
 */
export function answers(port, timeoutMs = 2000) {
  return get(port, false, timeoutMs).then(
    (reply) => reply.status === 200,
    () => false,
  );
}

/**
 * Waits until the port answers 200 (a worker listens); resolves with that reply.
 * @param {number} port
 * @param {number} [timeoutMs]
 * @returns {Promise<Reply>}
 */
export function waitForHttp(port, timeoutMs = 20_000) {
  return waitFor(
    `HTTP on 127.0.0.1:${port}`,
    async () => {
      const reply = await get(port, false, 1000);
      return reply.status === 200 ? reply : undefined;
    },
    timeoutMs,
  );
}
