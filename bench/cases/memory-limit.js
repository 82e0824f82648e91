import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { waitFor } from '../../test/harness/wait.js';
import { alternate, pairRow } from '../lib/pair.js';
import { pick } from '../lib/quick.js';
import { benchApp } from '../lib/home-root.js';
import { availableTools, withTool } from '../lib/tools.js';

const ROUNDS = pick(3, 1);
const LIMIT = '100M';
const LIMIT_BYTES = 100 * 1024 * 1024; // both read M as 1024²
// PM2 checks memory every 30 s; the app stops leaking at 800 MB and waits.
const DEADLINE_MS = 45_000;

/**
 * max_memory_restart 100M against an app leaking 10 MB every 50 ms (up to 800 MB). From the app's own log: when its
 * RSS first reached the limit, when the stop signal arrived, and the highest RSS it logged. One restart per round
 * and tool, alternating sup and PM2.
 */
export default {
  name: 'memory-limit',
  async run({ root, log }) {
    const { ids, pm2Unavailable } = await availableTools(root, log);
    log(
      `memory-limit: ${ROUNDS} rounds of an app leaking 200 MB/s with max_memory_restart ${LIMIT}, ${ids.join(' and ')} alternating (PM2 checks every 30 s)`,
    );
    let round = 0;
    const cycles = await alternate(ROUNDS, ids, (id) =>
      withTool(root, log, id, async (tool) => {
        const file = join(tool.dir, `mem-${++round}.log`);
        const env = { BENCH_MEM_LOG: file };
        await tool.startApps([{ name: 'leak', script: benchApp('leak-log.js'), max_memory_restart: LIMIT, env }], { env });
        await waitFor(`${id}: the leaking app to be restarted`, () => runs(file).length > 1, DEADLINE_MS);
        const [first, next] = runs(file);
        const cycle = measure(first, next);
        log(`memory-limit: ${id}: crossing → stop signal ${cycle.reaction} ms, peak ${cycle.peak.toFixed(0)} MiB`);
        return cycle;
      }),
    );
    const side = (id, key) => (cycles[id] ? cycles[id].map((c) => c[key]) : { na: pm2Unavailable });
    return [
      pairRow({
        id: 'memory-limit-reaction',
        label: `memory limit ${LIMIT}: crossing → stop signal`,
        unit: 'ms',
        sup: side('sup', 'reaction'),
        pm2: side('pm2', 'reaction'),
      }),
      pairRow({
        id: 'memory-limit-peak',
        label: `memory limit ${LIMIT}: peak RSS of the app (leak stops at 800 MB)`,
        unit: 'MiB',
        sup: side('sup', 'peak'),
        pm2: side('pm2', 'peak'),
      }),
    ];
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
  // Without a catchable signal (a SIGKILL, say) the restart is first seen when the next instance runs.
  const stopped = run.term ?? run.exit ?? next.start;
  return { reaction: stopped - crossed.t, peak: Math.max(...run.rss.map((s) => s.bytes)) / 1024 / 1024 };
}
