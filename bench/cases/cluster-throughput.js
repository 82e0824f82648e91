import { join } from 'node:path';
import { answers, startClusterApp } from '../lib/cluster-app.js';
import { cpuSeconds, killQuietly, parentPid, spawnTracked, waitFor } from '../lib/proc.js';
import { summarize } from '../lib/stats.js';
import { benchApp } from '../lib/sup-home.js';
import { freePort, startWrk } from '../lib/wrk.js';

const ROUNDS = 3;
const SECONDS = 5;

/**
 * Requests/s of wrk -t2 -c20 against a 2-instance sup cluster of a tiny app and against a bare node:cluster of
 * the same app, both running side by side; the two take turns (order rotated per round) so that background
 * load hits both alike, and each round's ratio compares neighbours in time.
 */
export default {
  name: 'cluster-throughput',
  async run({ root, log }) {
    const home = root.create();
    let bare;
    try {
      const supPort = await startClusterApp(home, 'hello', benchApp('http-hello.js'));
      bare = await startBareCluster(root);
      const supWorkers = (await home.list()).map((p) => p.pid);
      const supPids = [home.daemonPid(), parentPid(supWorkers[0]), ...supWorkers];
      const contenders = { sup: { port: supPort, pids: supPids }, bare: { port: bare.port, pids: bare.pids } };
      log(`cluster-throughput: 1 s warm-up each, then ${ROUNDS} rounds of ${SECONDS} s of wrk on sup and on bare node:cluster`);
      for (const { port } of Object.values(contenders)) await startWrk(port, { durationS: 1 }).result;
      const rps = { sup: [], bare: [] };
      const ratios = [];
      for (let round = 0; round < ROUNDS; round++) {
        const order = round % 2 === 0 ? ['sup', 'bare'] : ['bare', 'sup'];
        const cpu = {};
        for (const key of order) {
          const { port, pids } = contenders[key];
          const before = pids.map(cpuSeconds);
          const result = await startWrk(port, { durationS: SECONDS }).result;
          // Whether the workers were busy or waiting tells a slow app from a slow path to it.
          cpu[key] = pids.map((pid, i) => Math.round(((cpuSeconds(pid) - before[i]) / (result.duration_us / 1e6)) * 100));
          if (result.failed > 0) throw new Error(`${key}: ${result.failed} failed requests under load: ${JSON.stringify(result)}`);
          rps[key].push(result.rps);
        }
        ratios.push(rps.sup[round] / rps.bare[round]);
        const r = (key) => Math.round(rps[key][round]);
        log(`cluster-throughput: round ${round + 1}: sup ${r('sup')} req/s (CPU% daemon, primary, workers: ${cpu.sup.join(', ')}), bare ${r('bare')} req/s (CPU% primary, workers: ${cpu.bare.join(', ')})`);
      }
      return [
        { id: 'rps-bare', label: 'bare node:cluster, 2 workers (wrk -t2 -c20 5 s)', unit: 'req/s', ...summarize(rps.bare) },
        { id: 'rps-sup', label: 'sup cluster, 2 instances (wrk -t2 -c20 5 s)', unit: 'req/s', ...summarize(rps.sup) },
        { id: 'rps-ratio', label: 'sup / bare req/s, per round (target ≥ 0.97)', unit: '×', ...summarize(ratios) },
      ];
    } finally {
      bare?.stop();
      await root.release(home);
    }
  },
};

/** bench/apps/bare-cluster.js on a free port. Its SUP_HOME lies under the run's root, so the final sweep finds it too. */
async function startBareCluster(root) {
  const port = await freePort();
  const env = { ...process.env, PORT: String(port), SUP_HOME: join(root.dir, 'bare-cluster') };
  // detached = a session of its own, as sup's daemon gives each app. With autogroup scheduling (Linux default) a
  // session is a scheduling group: on a busy machine, sharing the bench's session alone made the baseline 3–6× faster.
  const primary = spawnTracked(process.execPath, [benchApp('bare-cluster.js')], { env, stdio: ['ignore', 'pipe', 'inherit'], detached: true });
  let out = '';
  primary.stdout.on('data', (d) => (out += d));
  const workers = () => (/^ready (.*)$/m.exec(out)?.[1] ?? '').split(' ').filter(Boolean).map(Number);
  const stop = () => {
    [primary.pid, ...workers()].forEach((pid) => killQuietly(pid));
  };
  try {
    await waitFor('the bare cluster to listen', () => /^ready /m.test(out), 15_000, 50);
    await waitFor(`the bare cluster to answer on port ${port}`, () => answers(port), 10_000, 50);
  } catch (err) {
    stop();
    throw err;
  }
  return { port, pids: [primary.pid, ...workers()], stop };
}
