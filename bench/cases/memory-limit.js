import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { waitFor } from '../lib/proc.js';
import { summarize } from '../lib/stats.js';
import { benchApp } from '../lib/sup-home.js';

const RESTARTS = 5;
const LIMIT = '100M';
const LIMIT_BYTES = 100 * 1024 * 1024; // sup reads M as 1024², as PM2 does

/**
 * max_memory_restart against an app leaking 10 MB every 50 ms. From the app's own log: when its RSS first reached
 * the limit, when SIGTERM arrived (the restart begins), when the next instance ran its first line, and the
 * highest RSS it logged.
 */
export default {
  name: 'memory-limit',
  async run({ root, log }) {
    const home = root.create();
    try {
      const file = join(home.dir, 'mem.log');
      log(`memory-limit: ${RESTARTS} restarts of an app leaking 200 MB/s with --max-memory-restart ${LIMIT}`);
      await home.sup(['start', benchApp('leak-log.js'), '--name', 'leak', '--max-memory-restart', LIMIT], { env: { BENCH_MEM_LOG: file } });
      await waitFor(`${RESTARTS + 1} starts of the leaking app`, () => runs(file).length > RESTARTS, 45_000, 100);
      const all = runs(file);
      const cycles = all.slice(0, RESTARTS).map((run, i) => measure(run, all[i + 1]));
      log(`memory-limit: per restart ${cycles.map((c) => `crossing→SIGTERM ${c.reaction} ms, peak ${c.peak.toFixed(0)} MiB`).join('; ')}`);
      return [
        { id: 'memory-limit-reaction', label: `memory limit ${LIMIT}: crossing → SIGTERM (target < 1 s)`, unit: 'ms', ...summarize(cycles.map((c) => c.reaction)), vsNode: false },
        { id: 'memory-limit-restarted', label: `memory limit ${LIMIT}: crossing → new instance runs`, unit: 'ms', ...summarize(cycles.map((c) => c.restarted)), vsNode: false },
        { id: 'memory-limit-peak', label: `memory limit ${LIMIT}: peak RSS of the app`, unit: 'MiB', ...summarize(cycles.map((c) => c.peak)) },
      ];
    } finally {
      await root.release(home);
    }
  },
};

/** The log, grouped by pid in order of start: [{ pid, start, rss: [{t, bytes}], term, exit }]. */
function runs(file) {
  if (!existsSync(file)) return [];
  const byPid = new Map();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const [kind, t, pid, bytes] = line.split(' ');
    if (kind === 'start') byPid.set(pid, { pid: Number(pid), start: Number(t), rss: [] });
    const run = byPid.get(pid);
    if (!run) continue;
    if (kind === 'rss') run.rss.push({ t: Number(t), bytes: Number(bytes) });
    if (kind === 'term' || kind === 'exit') run[kind] ??= Number(t);
  }
  return [...byPid.values()];
}

function measure(run, next) {
  const crossed = run.rss.find((s) => s.bytes >= LIMIT_BYTES);
  if (!crossed) throw new Error(`pid ${run.pid} was restarted before its RSS reached ${LIMIT}: ${JSON.stringify(run.rss.at(-1))}`);
  // Without a SIGTERM (a SIGKILL, say) the restart is first seen when the next instance runs.
  const stopped = run.term ?? run.exit ?? next.start;
  return { reaction: stopped - crossed.t, restarted: next.start - crossed.t, peak: Math.max(...run.rss.map((s) => s.bytes)) / 1024 / 1024 };
}
