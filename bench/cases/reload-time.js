import { NAIVE_APP, startClusterApp } from '../lib/cluster-app.js';
import { summarize } from '../lib/stats.js';

const RUNS = 5;

/** Wall time of `sup reload <app>` for an idle 2-instance cluster app (sup drains it, as by default). */
export default {
  name: 'reload-time',
  async run({ root, log }) {
    const home = root.create();
    try {
      await startClusterApp(home, 'web', NAIVE_APP);
      log(`reload-time: 1 warm-up + ${RUNS} reloads of a 2-instance cluster app`);
      const samples = [];
      for (let i = 0; i <= RUNS; i++) {
        const { ms } = await home.sup(['reload', 'web'], { timeoutMs: 30_000 });
        if (i > 0) samples.push(ms);
      }
      const after = await home.waitForStatus('web', 'online');
      if (after.some((p) => p.restarts !== RUNS + 1)) throw new Error(`expected ${RUNS + 1} reloads of each instance, got ${JSON.stringify(after)}`);
      return [{ id: 'reload-time', label: '`sup reload` of a 2-instance cluster app', unit: 'ms', ...summarize(samples) }];
    } finally {
      await root.release(home);
    }
  },
};
