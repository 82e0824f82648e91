import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { benchApp } from '../lib/sup-home.js';
import { timedRun, waitFor } from '../lib/proc.js';
import { summarize } from '../lib/stats.js';

const GAPS = 20;
const UPTIME_MS = 1200;
const FLOOR_RUNS = 10;

/**
 * An app that lives 1.2 s, then exits 1: above the default min_uptime, so each restart is immediate.
 * The gap runs from the app's last timestamp before exit to the next instance's first line of JS.
 */
export default {
  name: 'restart-gap',
  async run({ root, log }) {
    const floor = await spawnToFirstLine(root, log);
    const home = root.create();
    try {
      const times = join(home.dir, 'times.log');
      log(`restart-gap: waiting for ${GAPS} restarts of an app that crashes after ${UPTIME_MS} ms (~${Math.round((GAPS * (UPTIME_MS + 100)) / 1000)} s)`);
      await home.sup(['start', benchApp('crash-stamp.js'), '--name', 'crash', '--max-restarts', '1000'], {
        env: { BENCH_TIMES: times, BENCH_UPTIME_MS: String(UPTIME_MS) },
      });
      await waitFor(
        `${GAPS + 1} starts of the crashing app in ${times}`,
        () => parse(times).filter((e) => e.kind === 'start').length > GAPS,
        (GAPS + 1) * (UPTIME_MS + 1000) + 10_000,
        100,
      );
      const [app] = (await home.list()).filter((p) => p.name === 'crash');
      if (app?.unstable_restarts) log(`restart-gap: warning: sup counted ${app.unstable_restarts} unstable restarts; gaps may include backoff`);
      const gaps = gapsOf(parse(times)).slice(0, GAPS);
      return [floor, { id: 'restart-gap', label: `crash→restart gap (${GAPS} restarts)`, unit: 'ms', ...summarize(gaps) }];
    } finally {
      await root.release(home);
    }
  },
};

/** The gap's floor: from just before spawn() to plain node's first line of user JS. */
async function spawnToFirstLine(root, log) {
  log(`restart-gap: ${FLOOR_RUNS} runs of node from spawn to its first line of JS`);
  const file = join(root.dir, 'first-line.log');
  const samples = [];
  for (let i = 0; i <= FLOOR_RUNS; i++) {
    const before = Date.now();
    await timedRun(process.execPath, [benchApp('stamp.js')], { env: { ...process.env, BENCH_TIMES: file } });
    const stamps = readFileSync(file, 'utf8').trim().split('\n');
    if (i > 0) samples.push(Number(stamps[stamps.length - 1]) - before);
  }
  return { id: 'first-line', label: 'node spawn → first JS line (gap floor)', unit: 'ms', ...summarize(samples) };
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
