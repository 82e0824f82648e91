import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runOk } from '../../test/harness/run.js';
import { waitFor } from '../../test/harness/wait.js';
import { alternate, floorRow, pairRow } from '../lib/pair.js';
import { pick } from '../lib/quick.js';
import { benchApp } from '../lib/home-root.js';
import { availableTools, withTool } from '../lib/tools.js';

const BLOCKS = pick(4, 2);
const GAPS_PER_BLOCK = pick(5, 3);
const UPTIME_MS = 1200;
const FLOOR_RUNS = pick(10, 5);

/**
 * An app that lives 1.2 s, then exits 1: above the default min_uptime of both tools, so each restart is immediate.
 * The gap runs from the app's last timestamp before exit to the next instance's first line of JS. Blocks of a few
 * restarts, alternating sup and PM2, each in a fresh home.
 */
export default {
  name: 'restart-gap',
  async run({ root, log }) {
    const floor = await spawnToFirstLine(root, log);
    const { ids, pm2Unavailable } = await availableTools(root, log);
    log(
      `restart-gap: ${BLOCKS} blocks of ${GAPS_PER_BLOCK} restarts, ${ids.join(' and ')} alternating (~${Math.round((2 * BLOCKS * (GAPS_PER_BLOCK + 1) * (UPTIME_MS + 150)) / 1000)} s)`,
    );
    let block = 0;
    const gaps = await alternate(BLOCKS, ids, (id) =>
      withTool(root, log, id, async (tool) => {
        const times = join(tool.dir, `times-${++block}.log`);
        const env = { BENCH_TIMES: times, BENCH_UPTIME_MS: String(UPTIME_MS) };
        await tool.startApps([{ name: 'crash', script: benchApp('crash-stamp.js'), max_restarts: 1000, env }], { env });
        await waitFor(
          `${id}: ${GAPS_PER_BLOCK + 1} starts of the crashing app in ${times}`,
          () => parse(times).filter((e) => e.kind === 'start').length > GAPS_PER_BLOCK,
          (GAPS_PER_BLOCK + 1) * (UPTIME_MS + 1000) + 10_000,
        );
        const found = gapsOf(parse(times)).slice(0, GAPS_PER_BLOCK);
        log(`restart-gap: ${id}: ${found.join(', ')} ms`);
        return found;
      }),
    );
    const flat = (id) => (gaps[id] ? gaps[id].flat() : { na: pm2Unavailable });
    return [
      floor,
      pairRow({
        id: 'restart-gap',
        label: 'crash→restart gap (exit → next first line of JS)',
        unit: 'ms',
        sup: flat('sup'),
        pm2: flat('pm2'),
      }),
    ];
  },
};

/** The gap's floor: from just before spawn() to plain node's first line of user JS. */
async function spawnToFirstLine(root, log) {
  log(`restart-gap: ${FLOOR_RUNS} runs of node from spawn to its first line of JS`);
  const file = join(root.dir, 'first-line.log');
  const samples = [];
  for (let i = 0; i <= FLOOR_RUNS; i++) {
    const before = Date.now();
    await runOk(process.execPath, [benchApp('stamp.js')], { env: { ...process.env, BENCH_TIMES: file } });
    const stamps = readFileSync(file, 'utf8').trim().split('\n');
    if (i > 0) samples.push(Number(stamps[stamps.length - 1]) - before);
  }
  return floorRow({ id: 'first-line', label: 'node spawn → first line of JS (floor of the gap)', unit: 'ms', samples });
}

function parse(file) {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => /^(start|exit) \d+ \d+$/.test(line))
    .map((line) => {
      const [kind, t, pid] = line.split(' ');
      return { kind, t: Number(t), pid: Number(pid) };
    });
}

/** For each exit, the time to the next start of another process. */
function gapsOf(events) {
  const gaps = [];
  events.forEach((e, i) => {
    if (e.kind !== 'exit') return;
    const next = events.slice(i + 1).find((n) => n.kind === 'start' && n.pid !== e.pid);
    if (next) gaps.push(next.t - e.t);
  });
  return gaps;
}
