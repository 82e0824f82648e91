// @ts-check
/**
 * What health checks and the watchdog cost (issue #19): the daemon's CPU and memory with 50 apps checked over HTTP
 * every second, against the same 50 apps unchecked; a Node app's CPU and memory with the watchdog on and off.
 * `node bench/health-cost.js` (after `npm run build`). Loopback only; every process ends with its SUP_HOME.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixture } from '../test/harness/paths.js';
import { SupHome } from '../test/harness/sup-home.js';
import { sleep } from '../test/harness/wait.js';

const APPS = 50;
const WINDOW_MS = Number(process.env.WINDOW_MS ?? 20_000);
const TICK_MS = 1000 / 100; // USER_HZ

/** CPU ms and RSS bytes of one process, from /proc. @param {number} pid */
function usage(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const cpuMs = (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  const rss = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;
  return { cpuMs, rss };
}

/** CPU share (% of one core) over the window, and RSS at its end. @param {number} pid */
async function measure(pid) {
  const a = usage(pid);
  const t = Date.now();
  await sleep(WINDOW_MS);
  const b = usage(pid);
  return { cpu: ((b.cpuMs - a.cpuMs) / (Date.now() - t)) * 100, rssMb: b.rss / 2 ** 20 };
}

/** @param {SupHome} sup @param {Record<string, unknown>[]} apps */
async function startApps(sup, apps) {
  const file = join(sup.home, 'eco.json');
  writeFileSync(file, JSON.stringify({ apps }));
  await sup.ok(['start', file], { timeoutMs: 120_000 });
}

async function daemonCost() {
  const server = http.createServer((_req, res) => res.end('ok')).listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const port = /** @type {import('node:net').AddressInfo} */ (server.address()).port;
  /** @type {Record<string, { cpu: number, rssMb: number }>} */
  const results = {};
  for (const checked of [false, true]) {
    const sup = SupHome.create(tmpdir());
    try {
      // Not Node, so that the apps cost the daemon nothing but their checks: one sleep each.
      const apps = Array.from({ length: APPS }, (_, i) => ({
        name: `a${i}`,
        script: '/bin/sleep',
        args: ['3600'],
        interpreter: 'none',
        ...(checked ? { health_check: { http: `http://127.0.0.1:${port}/health`, interval: '1s' } } : {}),
      }));
      await startApps(sup, apps);
      await sleep(2000);
      results[checked ? 'checked' : 'unchecked'] = await measure(/** @type {number} */ (sup.daemonPid()));
    } finally {
      await sup.cleanup();
    }
  }
  server.close();
  return results;
}

async function watchdogCost() {
  /** @type {Record<string, { cpu: number, rssMb: number }>} */
  const results = {};
  for (const watchdog of ['0', '1s']) {
    const sup = SupHome.create(tmpdir());
    try {
      await startApps(sup, [{ name: 'app', script: fixture('forever.js'), watchdog }]);
      await sleep(2000);
      const [p] = await sup.list();
      results[watchdog === '0' ? 'off' : 'on (1s)'] = await measure(/** @type {number} */ (p?.pid));
    } finally {
      await sup.cleanup();
    }
  }
  return results;
}

const fmt = (/** @type {Record<string, {cpu: number, rssMb: number}>} */ r) =>
  Object.entries(r)
    .map(([k, v]) => `${k}: ${v.cpu.toFixed(2)}% cpu, ${v.rssMb.toFixed(1)} MiB rss`)
    .join('; ');
console.log(`daemon, ${APPS} apps, http check every 1 s vs none (${WINDOW_MS} ms window): ${fmt(await daemonCost())}`);
console.log(`a Node app (forever.js), watchdog off vs on: ${fmt(await watchdogCost())}`);
