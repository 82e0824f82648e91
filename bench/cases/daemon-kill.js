import { connect } from 'node:net';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { answers, freePorts } from '../../test/harness/http.js';
import { environOf, isAlive } from '../../test/harness/proc.js';
import { sleep, waitFor } from '../../test/harness/wait.js';
import { benchApp } from '../lib/home-root.js';
import { alternate, pairRow } from '../lib/pair.js';
import { pick } from '../lib/quick.js';
import { availableTools, withTool } from '../lib/tools.js';
import { startWrk } from '../lib/wrk.js';

const ROUNDS = pick(3, 1);
const APP = benchApp('http-naive.js');
// Long enough for wrk to have its keep-alive connections open on both apps before the kill.
const LOAD_BEFORE_MS = 500;
// How long after the kill the load runs, and when the pids and ports are looked at.
const AFTER_MS = 3000;
// PM2 has nothing that starts its daemon again: the wait only bounds that side. The same for both tools.
const BACK_WITHIN_MS = 10_000;
const HOME_VAR = { sup: 'SUP_HOME', pm2: 'PM2_HOME' };
// The built client, like test/harness/sup-home.js: loaded on first use, so that a run without sup needs no dist/.
let clientModule;

/**
 * kill -9 of the supervisor's daemon while a 2-instance cluster app and a fork-mode app (bench/apps/http-naive.js,
 * each on its own port) are under wrk -t1 -c10 keep-alive load. Per kill: failed requests on both apps, the app
 * processes still running with their pid and the apps still answering 3 s later, the ms until a daemon answers
 * again with no command typed (sup's keeper starts one; PM2 has no such thing), and then what the first `list`
 * shows. One fresh home per kill, sup and PM2 alternating.
 */
export default {
  name: 'daemon-kill',
  async run({ root, log }) {
    const { ids, pm2Unavailable } = await availableTools(root, log);
    log(`daemon-kill: ${ROUNDS} kill -9 of the daemon under wrk -t1 -c10 on 2 apps, ${ids.join(' and ')} alternating`);
    const rounds = await alternate(ROUNDS, ids, (id) =>
      withTool(root, log, id, async (tool) => {
        const r = await killRound(tool);
        log(
          `daemon-kill: ${id}: ${r.failed} failed of ${r.requests} (connect ${r.connect}, read ${r.read}, write ${r.write}, timeout ${r.timeout}, non-2xx ${r.status}); ${r.samePid}/3 processes with their pid and ${r.serving}/2 apps answering after ${AFTER_MS} ms; daemon back ${r.backMs === undefined ? `not within ${BACK_WITHIN_MS} ms` : `after ${Math.round(r.backMs)} ms`}; first list: ${r.listed}/3 online with their pid`,
        );
        return r;
      }),
    );
    const side = (id, field) => (rounds[id] ? rounds[id].map((r) => r[field]) : { na: pm2Unavailable });
    const back = (id) => {
      if (!rounds[id]) return { na: pm2Unavailable };
      const ms = rounds[id].map((r) => r.backMs).filter((v) => v !== undefined);
      return ms.length > 0 ? ms : { na: `no daemon came back by itself within ${BACK_WITHIN_MS / 1000} s` };
    };
    const row = (id, label, unit, field, better) => pairRow({ id, label, unit, better, sup: side('sup', field), pm2: side('pm2', field) });
    return [
      row('daemon-kill-failed', 'kill -9 of the daemon under keep-alive load: failed requests', 'req', 'failed'),
      row(
        'daemon-kill-same-pid',
        `apps still running with the same pid ${AFTER_MS / 1000} s after it (of 3 processes)`,
        'proc',
        'samePid',
        'higher',
      ),
      row('daemon-kill-serving', `apps still answering HTTP ${AFTER_MS / 1000} s after it (of 2)`, 'apps', 'serving', 'higher'),
      pairRow({
        id: 'daemon-kill-back',
        label: 'ms until a daemon answers again (no command typed)',
        unit: 'ms',
        sup: back('sup'),
        pm2: back('pm2'),
      }),
      row('daemon-kill-listed', 'then the first `list`: processes online with their old pid (of 3)', 'proc', 'listed', 'higher'),
    ];
  },
};

/** One kill in a fresh home: the apps started, the load on, the daemon killed, then what is left of it all. */
async function killRound(tool) {
  const port = await freePorts(2);
  const ports = [port, port + 1];
  await tool.startApps([
    { name: 'web', script: APP, instances: 2, exec_mode: 'cluster', env: { PORT: String(ports[0]) } },
    { name: 'api', script: APP, env: { PORT: String(ports[1]) } },
  ]);
  await tool.waitForOnline(3, 20_000);
  await waitFor(`${tool.id}: both apps to answer`, async () => (await serving(ports)) === 2, 10_000);
  const before = (await tool.list()).map(({ name, pid }) => ({ name, pid }));
  const daemon = tool.daemonPid();
  if (!daemon || !ours(tool, daemon)) throw new Error(`${tool.id}: no daemon of this home in its pid file (${daemon})`);

  const loads = ports.map((p) => startWrk(p, { threads: 1, connections: 10, durationS: 30 }));
  let back;
  let samePid;
  let up;
  try {
    await sleep(LOAD_BEFORE_MS);
    const killedAt = performance.now();
    process.kill(daemon, 'SIGKILL');
    back = daemonBack(tool, daemon, killedAt);
    await sleep(AFTER_MS - (performance.now() - killedAt));
    samePid = before.filter((p) => isAlive(p.pid) && ours(tool, p.pid)).length;
    up = await serving(ports);
  } finally {
    for (const load of loads) load.stop(); // a failure of wrk, if any, is reported by the await below
  }
  const load = total(await Promise.all(loads.map((l) => l.result)));
  if (load.requests < 100) throw new Error(`${tool.id}: wrk made only ${load.requests} requests: no load to measure with`);
  const backMs = await back;
  const listed = (await listAfter(tool)).filter((p) => p.status === 'online' && before.some((b) => b.name === p.name && b.pid === p.pid));
  return { ...load, samePid, serving: up, backMs, listed: listed.length };
}

/** Still a process of this home: a pid reused by something else in the meantime does not count. */
const ours = (tool, pid) => environOf(pid).includes(`${HOME_VAR[tool.id]}=${tool.dir}`);

/** How many of the ports answer 200 right now, each on a connection of its own. */
async function serving(ports) {
  return (await Promise.all(ports.map((p) => answers(p)))).filter(Boolean).length;
}

/** Both wrk runs added up. */
function total(results) {
  const keys = ['requests', 'failed', 'connect', 'read', 'write', 'timeout', 'status'];
  return Object.fromEntries(keys.map((k) => [k, results.reduce((sum, r) => sum + r[k], 0)]));
}

/**
 * ms from the kill until a new daemon (another pid in the pid file, of this home) answers on its socket, or
 * undefined after BACK_WITHIN_MS. Only the pid file and the socket are looked at: a `sup ping` or `pm2 ping` would
 * start a daemon itself when none answers.
 */
async function daemonBack(tool, killed, killedAt) {
  const probe = async () => {
    const pid = tool.daemonPid();
    return pid !== undefined && pid !== killed && isAlive(pid) && ours(tool, pid) && (await pings(tool));
  };
  try {
    await waitFor(`${tool.id}: a new daemon answering`, probe, BACK_WITHIN_MS, undefined, 10);
    return performance.now() - killedAt;
  } catch {
    return undefined;
  }
}

/** sup: a `ping` request answered on the control socket. PM2: its RPC socket accepts a connection. */
async function pings(tool) {
  if (tool.id === 'pm2') return accepts(join(tool.dir, 'rpc.sock'));
  clientModule ??= import(new URL('../../dist/client/client.js', import.meta.url).href);
  const client = await (await clientModule).SupClient.connect(tool.home.socket, 1000);
  try {
    return (await client.request('ping', {})).pid > 0;
  } finally {
    client.close();
  }
}

function accepts(socket) {
  return new Promise((resolve) => {
    const conn = connect(socket, () => (conn.destroy(), resolve(true)));
    conn.once('error', () => resolve(false));
  });
}

/** The first command typed after the kill: `sup list --json`, or `pm2 jlist` (which starts a new PM2 daemon). */
async function listAfter(tool) {
  if (tool.id === 'sup') return JSON.parse((await tool.run(['list', '--json'], { timeoutMs: 30_000 })).stdout);
  return tool.list();
}
