import { readFileSync } from 'node:fs';
import { benchApp } from '../lib/sup-home.js';
import { isAlive, killQuietly, sleep, spawnTracked, vmRssKb } from '../lib/proc.js';
import { summarize } from '../lib/stats.js';

const RUNS = 3;
// Long enough for start-up garbage to be collected and for the monitor to have sampled the app a few times.
const SETTLE_MS = 3000;

/**
 * VmRSS of an idle daemon: with no apps, then with one app, each after a settle period.
 * A bare idle node process, settled alongside, is the floor any node daemon starts from.
 */
export default {
  name: 'rss',
  async run({ root, log }) {
    log(`rss: ${RUNS} daemons, ${SETTLE_MS / 1000} s settle with no apps and again with 1 app`);
    const bare = [];
    const empty = [];
    const oneApp = [];
    for (let i = 0; i < RUNS; i++) {
      const home = root.create();
      const idleNode = spawnTracked(process.execPath, [benchApp('idle.js')]);
      try {
        await home.sup(['ping']);
        const pid = home.daemonPid();
        if (!pid || !isAlive(pid) || !readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('sup-daemon')) {
          throw new Error(`daemon.pid (${pid}) does not name a live sup daemon`);
        }
        await sleep(SETTLE_MS);
        empty.push(vmRssKb(pid) / 1024);
        bare.push(vmRssKb(idleNode.pid) / 1024);
        killQuietly(idleNode.pid);
        await home.sup(['start', benchApp('idle.js'), '--name', 'idle']);
        await home.waitForStatus('idle', 'online');
        await sleep(SETTLE_MS);
        oneApp.push(vmRssKb(pid) / 1024);
      } finally {
        killQuietly(idleNode.pid);
        await root.release(home);
      }
    }
    return [
      { id: 'rss-node', label: 'idle bare node process RSS (floor)', unit: 'MiB', ...summarize(bare) },
      { id: 'rss-empty', label: 'daemon RSS, no apps (after 3 s)', unit: 'MiB', ...summarize(empty) },
      { id: 'rss-1app', label: 'daemon RSS, 1 app (after 3 s)', unit: 'MiB', ...summarize(oneApp) },
    ];
  },
};
