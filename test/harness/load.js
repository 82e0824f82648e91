// @ts-check
/** A light keep-alive HTTP load on a loopback port, to show what restarts, reloads and kills cost the clients. */
import http from 'node:http';
import { get } from './http.js';
import { sleep } from './wait.js';

/**
 * @typedef {object} LoadResult
 * @property {number} ok
 * @property {number} failed errors and non-200 answers
 * @property {Record<string, number>} errors failures counted by kind (error code, or HTTP status)
 * @property {string[]} samples the first few failures in full, to show in an assertion message
 * @property {Set<number>} pids who answered: the first word of the body (the test apps answer with their pid)
 * @property {'stop' | 'max-requests' | 'max-duration'} endedBy told to stop, or one of its bounds
 */
/** @typedef {{ stop(): Promise<LoadResult> }} Load */

/**
 * Keep-alive clients sending GETs back to back (or pauseMs apart) until stopped, bounded in requests and time so that
 * a stuck test never turns into a benchmark.
 * @param {number} port
 * @param {{ clients?: number, pauseMs?: number, maxRequests?: number, maxMs?: number }} [options]
 * @returns {Load}
 */
export function startLoad(port, { clients = 8, pauseMs = 0, maxRequests = 20_000, maxMs = 20_000 } = {}) {
  const end = Date.now() + maxMs;
  const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
  /** @type {LoadResult} */
  const result = { ok: 0, failed: 0, errors: {}, samples: [], pids: new Set(), endedBy: 'stop' };
  let stopped = false;

  /** @param {string} kind @param {string} detail */
  const fail = (kind, detail) => {
    result.failed++;
    result.errors[kind] = (result.errors[kind] ?? 0) + 1;
    if (result.samples.length < 10) result.samples.push(detail);
  };
  const client = async () => {
    for (;;) {
      if (stopped) return;
      if (result.ok + result.failed >= maxRequests) return void (result.endedBy = 'max-requests');
      if (Date.now() > end) return void (result.endedBy = 'max-duration');
      try {
        const reply = await get(port, agent, 5000);
        if (reply.status === 200) {
          result.ok++;
          result.pids.add(Number(reply.body.split(' ')[0]));
        } else fail(`HTTP ${reply.status}`, `HTTP ${reply.status}: ${reply.body}`);
      } catch (err) {
        const code = /** @type {NodeJS.ErrnoException} */ (err).code ?? /** @type {Error} */ (err).message;
        fail(code, code);
      }
      // A short pause keeps the load light and leaves keep-alive sockets idle now and then, which is when a careless close loses a request.
      if (pauseMs) await sleep(pauseMs);
    }
  };
  const running = Promise.all(Array.from({ length: clients }, client));
  return {
    async stop() {
      stopped = true;
      await running;
      agent.destroy();
      return result;
    },
  };
}
