import { join } from 'node:path';
import { answers, freePorts } from '../../test/harness/http.js';
import { killQuietly } from '../../test/harness/proc.js';
import { waitFor } from '../../test/harness/wait.js';
import { startClusterApp } from '../lib/cluster-app.js';
import { floorRow, pairRow } from '../lib/pair.js';
import { spawnTracked } from '../lib/proc.js';
import { pick } from '../lib/quick.js';
import { benchApp } from '../lib/home-root.js';
import { openTools } from '../lib/tools.js';
import { startWrk } from '../lib/wrk.js';

const ROUNDS = pick(3, 2);
const SECONDS = pick(5, 3);

/**
 * Requests/s of wrk -t2 -c20 against a tiny app run as 2 cluster instances by sup, by PM2, and by a bare
 * node:cluster primary, all three running side by side; they take turns (order rotated per round) so that
 * background load hits all alike.
 */
export default {
  name: 'cluster-throughput',
  async run({ root, log }) {
    const t = await openTools(root, log);
    let bare;
    try {
      const ports = {};
      for (const id of t.ids) ports[id] = await startClusterApp(t.get(id), 'hello', benchApp('http-hello.js'));
      bare = await startBareCluster(root);
      ports.bare = bare.port;
      const order = Object.keys(ports);
      log(`cluster-throughput: 1 s warm-up each, then ${ROUNDS} rounds of ${SECONDS} s of wrk on ${order.join(', ')}`);
      for (const port of Object.values(ports)) await startWrk(port, { durationS: 1 }).result;
      const rps = Object.fromEntries(order.map((k) => [k, []]));
      for (let round = 0; round < ROUNDS; round++) {
        for (let k = 0; k < order.length; k++) {
          const key = order[(round + k) % order.length];
          const result = await startWrk(ports[key], { durationS: SECONDS }).result;
          if (result.failed > 0) throw new Error(`${key}: ${result.failed} failed requests under load: ${JSON.stringify(result)}`);
          rps[key].push(result.rps);
        }
        log(`cluster-throughput: round ${round + 1}: ${order.map((k) => `${k} ${Math.round(rps[k][round])} req/s`).join(', ')}`);
      }
      const ofBare = (id) => (rps[id] ? rps[id].map((v, i) => v / rps.bare[i]) : { na: t.pm2Unavailable });
      return [
        floorRow({ id: 'rps-bare', label: `bare node:cluster, 2 workers (wrk -t2 -c20, ${SECONDS} s)`, unit: 'req/s', samples: rps.bare }),
        pairRow({
          id: 'rps',
          label: `cluster mode, 2 instances (wrk -t2 -c20, ${SECONDS} s)`,
          unit: 'req/s',
          better: 'higher',
          sup: rps.sup,
          pm2: t.pm2Side(rps.pm2),
        }),
        pairRow({
          id: 'rps-of-bare',
          label: 'cluster req/s ÷ bare node:cluster, per round',
          unit: '×',
          better: 'higher',
          sup: ofBare('sup'),
          pm2: ofBare('pm2'),
        }),
      ];
    } finally {
      bare?.stop();
      await t.close();
    }
  },
};

/** bench/apps/bare-cluster.js on a free port. Its SUP_HOME lies under the run's root, so the final sweep finds it too. */
async function startBareCluster(root) {
  const port = await freePorts();
  const env = { ...process.env, PORT: String(port), SUP_HOME: join(root.dir, 'bare-cluster') };
  // detached = a session of its own, as both supervisors give each app. With autogroup scheduling (Linux default) a
  // session is a scheduling group: on a busy machine, sharing the bench's session alone made the baseline 3–6× faster.
  const primary = spawnTracked(process.execPath, [benchApp('bare-cluster.js')], {
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
    detached: true,
  });
  let out = '';
  primary.stdout.on('data', (d) => (out += d));
  const workers = () => (/^ready (.*)$/m.exec(out)?.[1] ?? '').split(' ').filter(Boolean).map(Number);
  const stop = () => {
    [primary.pid, ...workers()].forEach((pid) => killQuietly(pid));
  };
  try {
    await waitFor('the bare cluster to listen', () => /^ready /m.test(out), 15_000);
    await waitFor(`the bare cluster to answer on port ${port}`, () => answers(port), 10_000);
  } catch (err) {
    stop();
    throw err;
  }
  return { port, pids: [primary.pid, ...workers()], stop };
}
