import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cpuPercentOver, sleep, vmRssKb } from '../lib/proc.js';
import { summarize } from '../lib/stats.js';
import { benchApp } from '../lib/sup-home.js';

const INSTANCES = 50;
const SETTLE_MS = 3000;
const CPU_MS = 10_000;
const LIST_RUNS = 7;

const VARIANTS = [
  { id: 'default', label: 'default interval', env: {}, list: true },
  { id: '200ms', label: 'SUP_MONITOR_INTERVAL=200', env: { SUP_MONITOR_INTERVAL: '200' }, list: false },
];

/** The daemon's CPU and RSS while it monitors 50 idle fork-mode instances, and `sup list` with 50 rows. */
export default {
  name: 'monitor-cost',
  async run({ root, log }) {
    const rows = [];
    for (const v of VARIANTS) {
      const home = root.create();
      try {
        const file = join(home.dir, 'idle50.ecosystem.json');
        writeFileSync(file, JSON.stringify({ apps: [{ name: 'idle', script: benchApp('idle.js'), instances: INSTANCES, exec_mode: 'fork' }] }));
        log(`monitor-cost: ${v.label}: starting ${INSTANCES} idle instances`);
        // The first command starts the daemon, which takes its monitor interval from this environment.
        await home.sup(['start', file], { env: v.env, timeoutMs: 60_000 });
        const online = await home.waitForStatus('idle', 'online', 60_000);
        if (online.length !== INSTANCES) throw new Error(`expected ${INSTANCES} instances, got ${online.length}`);
        const daemon = home.daemonPid();
        await sleep(SETTLE_MS);
        log(`monitor-cost: ${v.label}: daemon CPU over ${CPU_MS / 1000} s${v.list ? `, then ${LIST_RUNS} × sup list` : ''}`);
        const cpu = await cpuPercentOver(daemon, CPU_MS);
        const rss = vmRssKb(daemon) / 1024;
        rows.push(
          { id: `monitor-cpu-${v.id}`, label: `daemon CPU, ${INSTANCES} idle apps, ${v.label}`, unit: '%', ...summarize([cpu]) },
          { id: `monitor-rss-${v.id}`, label: `daemon RSS, ${INSTANCES} idle apps, ${v.label}`, unit: 'MiB', ...summarize([rss]) },
        );
        if (v.list) rows.push({ id: 'monitor-list', label: `warm \`sup list\`, ${INSTANCES} apps`, unit: 'ms', ...summarize(await listTimes(home)) });
      } finally {
        await root.release(home);
      }
    }
    return rows;
  },
};

async function listTimes(home) {
  await home.sup(['list']); // warm-up
  const samples = [];
  for (let i = 0; i < LIST_RUNS; i++) samples.push((await home.sup(['list'])).ms);
  return samples;
}
