import { answers } from '../../test/harness/http.js';
import { sleep, waitFor } from '../../test/harness/wait.js';
import { startClusterApp } from '../lib/cluster-app.js';
import { alternate, pairRow } from '../lib/pair.js';
import { pick } from '../lib/quick.js';
import { benchApp } from '../lib/home-root.js';
import { openTools } from '../lib/tools.js';
import { startWrk } from '../lib/wrk.js';

const RELOADS = pick(5, 3);
// Long enough for wrk to have its 20 keep-alive connections open on both instances before the reload begins.
const LOAD_BEFORE_MS = 300;
const LOAD_AFTER_MS = 200;
const APP = benchApp('http-naive.js');

/**
 * A 2-instance cluster app that closes its server on the stop signal (the common, naive way), under sup and under
 * PM2 at once, each on its own port. (1) `reload` wall time with no load, (2) requests that fail under keep-alive
 * load (wrk -t2 -c20) while `reload` replaces the instances: one wrk run per reload, started just before it and
 * stopped just after it returns. Reloads alternate between the tools.
 */
export default {
  name: 'reload',
  async run({ root, log }) {
    const t = await openTools(root, log);
    try {
      const ports = {};
      for (const id of t.ids) ports[id] = await startClusterApp(t.get(id), 'web', APP);
      log(`reload: 1 warm-up + ${RELOADS} idle reloads of a 2-instance cluster app, ${t.ids.join(' and ')} alternating`);
      const idle = (id) => reload(t.get(id), ports[id]).then((r) => r.ms);
      await alternate(1, t.ids, idle);
      const times = await alternate(RELOADS, t.ids, idle);
      log(`reload: ${RELOADS} reloads each under wrk -t2 -c20 keep-alive load`);
      const loaded = await alternate(RELOADS, t.ids, async (id) => {
        const r = await reloadUnderLoad(t.get(id), ports[id]);
        log(
          `reload: ${id}: ${r.failed} failed of ${r.requests} (connect ${r.connect}, read ${r.read}, write ${r.write}, timeout ${r.timeout}, non-2xx ${r.status}); reload took ${Math.round(r.reloadMs)} ms`,
        );
        return r;
      });
      const side = (id, pickFrom) => (loaded[id] ? loaded[id].map(pickFrom) : { na: t.pm2Unavailable });
      return [
        pairRow({
          id: 'reload-time',
          label: '`reload` of a 2-instance cluster app, idle',
          unit: 'ms',
          sup: times.sup,
          pm2: t.pm2Side(times.pm2),
        }),
        pairRow({
          id: 'reload-loss',
          label: 'reload under keep-alive load: failed requests per reload',
          unit: 'req',
          sup: side('sup', (r) => r.failed),
          pm2: side('pm2', (r) => r.failed),
        }),
        pairRow({
          id: 'reload-time-load',
          label: '`reload` under that load',
          unit: 'ms',
          sup: side('sup', (r) => r.reloadMs),
          pm2: side('pm2', (r) => r.reloadMs),
        }),
      ];
    } finally {
      await t.close();
    }
  },
};

/** One reload, then until every instance is online again and the app answers. */
async function reload(tool, port) {
  const result = await tool.run(['reload', 'web'], { timeoutMs: 30_000 });
  await tool.waitForStatus('web', 'online', 15_000);
  await waitFor(`${tool.id}: web to answer after a reload`, () => answers(port), 10_000);
  return result;
}

async function reloadUnderLoad(tool, port) {
  const wrk = startWrk(port, { durationS: 60 });
  let reloadMs;
  try {
    await sleep(LOAD_BEFORE_MS);
    reloadMs = (await tool.run(['reload', 'web'], { timeoutMs: 30_000 })).ms;
    await sleep(LOAD_AFTER_MS);
  } finally {
    wrk.stop(); // its failure, if any, is reported by the await below
  }
  const result = await wrk.result;
  if (result.requests < 100)
    throw new Error(`${tool.id}: wrk made only ${result.requests} requests during a reload: no load to measure with`);
  await tool.waitForStatus('web', 'online', 15_000);
  return { ...result, reloadMs };
}
