import { cpuSeconds, vmRssKb } from '../../test/harness/proc.js';
import { sleep } from '../../test/harness/wait.js';
import { pairRow } from '../lib/pair.js';
import { pick } from '../lib/quick.js';
import { openTools } from '../lib/tools.js';

const LEVELS = pick([10, 200, 1000], [10, 100]);
const BATCH = 250; // apps per ecosystem file
const SETTLE_MS = 3000;
const CPU_MS = pick(10_000, 4000);
const LIST_RUNS = pick(5, 3);
const SLEEP = '/usr/bin/sleep';

/**
 * How the cost grows with the number of managed processes: `sleep 3600` run with interpreter none (tiny, so the
 * machine holds thousands), grown to 10, 200 and 1,000 under sup and PM2 at once, so that both daemons share the
 * machine alike. At each level: both daemons' CPU over the same window, their RSS, and warm `list`, alternating.
 */
export default {
  name: 'scale',
  async run({ root, log }) {
    const t = await openTools(root, log);
    try {
      const rows = [];
      let count = 0;
      for (const level of LEVELS) {
        for (const id of t.ids) {
          const started = performance.now();
          for (let from = count; from < level; from += BATCH) {
            const apps = [];
            for (let i = from; i < Math.min(level, from + BATCH); i++)
              apps.push({ name: `sleep-${String(i + 1).padStart(4, '0')}`, script: SLEEP, args: ['3600'], interpreter: 'none' });
            await t.get(id).startApps(apps, { timeoutMs: 120_000 });
          }
          await t.get(id).waitForOnline(level, 120_000);
          log(`scale: ${id}: ${level} processes online, ${level - count} started in ${Math.round(performance.now() - started)} ms`);
        }
        count = level;
        await sleep(SETTLE_MS);
        const pids = Object.fromEntries(t.ids.map((id) => [id, t.get(id).daemonPid()]));
        const cpu0 = Object.fromEntries(t.ids.map((id) => [id, cpuSeconds(pids[id])]));
        const t0 = performance.now();
        await sleep(CPU_MS);
        const seconds = (performance.now() - t0) / 1000;
        const cpu = Object.fromEntries(t.ids.map((id) => [id, ((cpuSeconds(pids[id]) - cpu0[id]) / seconds) * 100]));
        const rss = Object.fromEntries(t.ids.map((id) => [id, vmRssKb(pids[id]) / 1024]));
        const list = Object.fromEntries(t.ids.map((id) => [id, []]));
        for (const id of t.ids) await t.get(id).run(['list']); // warm-up
        for (let round = 0; round < LIST_RUNS; round++) {
          for (const id of round % 2 === 0 ? t.ids : [...t.ids].reverse()) list[id].push((await t.get(id).run(['list'])).ms);
        }
        log(
          `scale: ${level}: ${t.ids.map((id) => `${id} CPU ${cpu[id].toFixed(1)}%, RSS ${rss[id].toFixed(1)} MiB, list ${Math.round(list[id][LIST_RUNS >> 1])} ms`).join('; ')}`,
        );
        const one = (map, id) => (id in map ? [map[id]] : { na: t.pm2Unavailable });
        rows.push(
          pairRow({
            id: `scale-list-${level}`,
            label: `${level} processes: warm \`list\``,
            unit: 'ms',
            sup: list.sup,
            pm2: t.pm2Side(list.pm2),
          }),
          pairRow({
            id: `scale-rss-${level}`,
            label: `${level} processes: daemon RSS`,
            unit: 'MiB',
            sup: one(rss, 'sup'),
            pm2: one(rss, 'pm2'),
          }),
          pairRow({
            id: `scale-cpu-${level}`,
            label: `${level} processes: daemon CPU (${CPU_MS / 1000} s, same window)`,
            unit: '%',
            sup: one(cpu, 'sup'),
            pm2: one(cpu, 'pm2'),
          }),
        );
      }
      // Grouped by measure, so that growth reads down a column.
      return ['list', 'rss', 'cpu'].flatMap((m) => rows.filter((r) => r.id.startsWith(`scale-${m}-`)));
    } finally {
      await t.close();
    }
  },
};
