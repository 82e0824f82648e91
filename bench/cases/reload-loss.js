import { DRAINING_APP, NAIVE_APP, startClusterApp } from '../lib/cluster-app.js';
import { sleep } from '../lib/proc.js';
import { summarize } from '../lib/stats.js';
import { startWrk } from '../lib/wrk.js';

const RELOADS = 5;
// Long enough for wrk to have its 20 keep-alive connections open on both instances before the reload begins.
const LOAD_BEFORE_MS = 300;
const LOAD_AFTER_MS = 200;

const VARIANTS = [
  { id: 'naive', label: 'naive app (server.close on SIGTERM)', script: NAIVE_APP },
  { id: 'draining', label: 'self-draining app', script: DRAINING_APP },
  { id: 'naive-nodrain', label: 'naive app, drain_http: false', script: NAIVE_APP, config: { drain_http: false } },
];

/**
 * Requests that fail under keep-alive load (wrk -t2 -c20) while `sup reload` replaces a 2-instance cluster,
 * 5 reloads back to back. wrk reports errors only when it ends, so each reload gets its own wrk run, started
 * just before the reload and stopped (SIGINT) just after it returns; the load pauses only between two runs.
 */
export default {
  name: 'reload-loss',
  async run({ root, log }) {
    const rows = [];
    for (const v of VARIANTS) {
      const home = root.create();
      try {
        const port = await startClusterApp(home, v.id, v.script, { config: v.config });
        log(`reload-loss: ${v.id}: ${RELOADS} reloads under wrk -t2 -c20 on port ${port}`);
        const perReload = [];
        for (let i = 0; i < RELOADS; i++) perReload.push(await reloadUnderLoad(home, v.id, port));
        const failed = perReload.map((r) => r.failed);
        const sum = (key) => perReload.reduce((n, r) => n + r[key], 0);
        const breakdown = { requests: sum('requests'), connect: sum('connect'), read: sum('read'), write: sum('write'), timeout: sum('timeout'), non_2xx: sum('status') };
        const took = perReload.map((r) => Math.round(r.reloadMs)).join(', ');
        log(`reload-loss: ${v.id}: failed per reload ${failed.join(', ')} (reloads took ${took} ms); ${JSON.stringify(breakdown)}`);
        rows.push({ id: `reload-loss-${v.id}`, label: `reload: failed req per reload, ${v.label}`, unit: 'req', ...summarize(failed) });
        rows.push({ id: `reload-loss-${v.id}-total`, label: `reload: failed req, total of ${RELOADS}, ${v.label}`, unit: 'req', ...summarize([sum('failed')]), ...breakdown });
      } finally {
        await root.release(home);
      }
    }
    return rows;
  },
};

async function reloadUnderLoad(home, name, port) {
  const wrk = startWrk(port, { durationS: 60 });
  let reloadMs;
  try {
    await sleep(LOAD_BEFORE_MS);
    reloadMs = (await home.sup(['reload', name], { timeoutMs: 30_000 })).ms;
    await sleep(LOAD_AFTER_MS);
  } finally {
    wrk.stop(); // its failure, if any, is reported by the await below
  }
  const result = await wrk.result;
  if (result.requests < 100) throw new Error(`wrk made only ${result.requests} requests during a reload: no load to measure with`);
  return { ...result, reloadMs };
}
