import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { vmRssKb } from '../../test/harness/proc.js';
import { succeeded } from '../../test/harness/run.js';
import { sleep, waitFor } from '../../test/harness/wait.js';
import { cpuPercentOver } from '../lib/proc.js';
import { summarize } from '../lib/stats.js';
import { benchApp } from '../lib/home-root.js';

const TOP_DIRS = 20;
const SUB_DIRS = 25; // 20 × 25 = 500 directories of files
const FILES_PER_DIR = 40; // 20,000 files
const SETTLE_MS = 3000;
const IDLE_MS = 10_000;

/** What watching a 20,000-file tree costs the daemon: time to start watching, RSS, and CPU while nothing changes. */
export default {
  name: 'watch-cost',
  async run({ root, log }) {
    // On tmpfs when there is one: on a busy disk, writing and removing 20,000 files took up to 30 s.
    const dir = root.scratchDir(existsSync('/dev/shm') ? '/dev/shm' : undefined);
    log(`watch-cost: writing ${TOP_DIRS * SUB_DIRS * FILES_PER_DIR} files in ${dir}`);
    makeTree(dir);
    const home = root.create();
    try {
      await home.ok(['ping']);
      const daemon = home.daemonPid();
      const cpuBefore = await cpuPercentOver(daemon, SETTLE_MS);
      const rssBefore = vmRssKb(daemon) / 1024;
      log(`watch-cost: starting an app watching ${TOP_DIRS * SUB_DIRS * FILES_PER_DIR} files in ${TOP_DIRS * SUB_DIRS} directories`);
      const started = performance.now();
      const { ms: startMs } = succeeded(
        await home.run(['start', benchApp('idle.js'), '--name', 'watched', '--cwd', dir, '--watch', dir], { timeoutMs: 60_000 }),
      );
      // Asked over the harness's connection: a CLI run per look would weigh on the daemon being measured.
      const client = await home.client();
      await waitFor(
        'watching to be active',
        async () => (await client.request('describe', { targets: ['watched'] })).processes[0]?.triggers.watch?.active,
        60_000,
      );
      const activeMs = performance.now() - started;
      await sleep(SETTLE_MS);
      const rssWatching = vmRssKb(daemon) / 1024;
      log(`watch-cost: measuring the daemon's CPU over ${IDLE_MS / 1000} s of idle watching`);
      const cpu = await cpuPercentOver(daemon, IDLE_MS);
      const one = (id, label, unit, value, extra = {}) => ({ id, label, unit, ...summarize([value]), ...extra });
      return [
        one('watch-start', '20k-file watch: `sup start --watch` returns', 'ms', startMs, { vsNode: false }),
        one('watch-active', '20k-file watch: start → describe says watching', 'ms', activeMs, { vsNode: false }),
        one('watch-rss-before', 'daemon RSS before the watching app', 'MiB', rssBefore),
        one('watch-cpu-before', `daemon CPU before the watching app (${SETTLE_MS / 1000} s)`, '%', cpuBefore),
        one('watch-rss', 'daemon RSS watching 20k files (after 3 s)', 'MiB', rssWatching),
        one('watch-cpu', `daemon CPU, idle watching 20k files (${IDLE_MS / 1000} s)`, '%', cpu),
      ];
    } finally {
      await root.release(home);
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

/** TOP_DIRS × SUB_DIRS directories of FILES_PER_DIR small files. */
function makeTree(dir) {
  for (let t = 0; t < TOP_DIRS; t++) {
    for (let s = 0; s < SUB_DIRS; s++) {
      const sub = join(dir, `d${t}`, `s${s}`);
      mkdirSync(sub, { recursive: true });
      for (let f = 0; f < FILES_PER_DIR; f++) writeFileSync(join(sub, `f${f}.js`), `module.exports = ${f};\n`);
    }
  }
}
