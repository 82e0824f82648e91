// Chaos under load (opt-in, not part of `npm test`): an HTTP cluster app on 127.0.0.1 under a small loopback load,
// one random online worker killed with SIGKILL every --every-ms for --seconds (default 60). At the end every instance
// must be online, the restart counters must add up to the kills, and no orphan or zombie of the SUP_HOME may exist.
// Usage: node bench/chaos.js [--seconds 60] [--instances 4] [--every-ms 500] [--clients 4] [--seed N] [--json]
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { SupClient } from '../dist/client/client.js';
import { pidsWithSupHome, sleep, vmRssKb, waitFor } from './lib/proc.js';
import { HomeRoot, REPO } from './lib/sup-home.js';

const { values: opts } = parseArgs({
  options: {
    seconds: { type: 'string', default: '60' },
    instances: { type: 'string', default: '4' },
    'every-ms': { type: 'string', default: '500' },
    clients: { type: 'string', default: '4' },
    seed: { type: 'string' },
    json: { type: 'boolean', default: false },
  },
});
const seconds = Number(opts.seconds);
const instances = Number(opts.instances);
const everyMs = Number(opts['every-ms']);
const seed = Number(opts.seed ?? randomBytes(4).readUInt32LE(0));

/** mulberry32, so that --seed replays the same choice of victims. */
function rng(s) {
  let state = s >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function get(port, agent, timeoutMs = 5000) {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/', agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
      res.on('error', reject);
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

/** Keep-alive clients sending GETs a few ms apart until stopped; bounded in requests and time. */
function startLoad(port, clients, maxMs) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
  const result = { ok: 0, failed: 0, errors: {} };
  const end = Date.now() + maxMs;
  let stopped = false;
  const client = async () => {
    while (!stopped && Date.now() < end && result.ok + result.failed < 2_000_000) {
      try {
        if ((await get(port, agent)) === 200) result.ok++;
        else result.failed++;
      } catch (err) {
        result.failed++;
        const code = err.code ?? err.message;
        result.errors[code] = (result.errors[code] ?? 0) + 1;
      }
      await sleep(2);
    }
  };
  const running = Promise.all(Array.from({ length: clients }, client));
  return {
    async stop() {
      stopped = true;
      await running;
      agent.destroy();
      return result;
    },
  };
}

function environOf(pid) {
  try {
    return readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
  } catch {
    return [];
  }
}

function cmdline(pid) {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return '';
  }
}

function zombiesOf(parents) {
  const out = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (state === 'Z' && parents.has(Number(ppid))) out.push(Number(name));
    } catch {
      // gone while we looked
    }
  }
  return out;
}

async function main() {
  const root = HomeRoot.open();
  let client;
  try {
    const home = root.create();
    const port = await freePort();
    const ecosystem = join(root.scratchDir(), 'chaos.json');
    writeFileSync(
      ecosystem,
      JSON.stringify({
        apps: [
          { name: 'web', script: join(REPO, 'test/fixtures/apps/http.js'), instances, exec_mode: 'cluster', env: { PORT: String(port) } },
        ],
      }),
    );
    await home.sup(['start', ecosystem]);
    await home.waitForStatus('web', 'online');
    const daemon = home.daemonPid();
    client = await SupClient.connect(join(home.dir, 'sup.sock'));
    const list = async () => (await client.request('list', {})).processes.filter((p) => p.name === 'web');
    await waitFor('HTTP answers', async () => (await get(port, false).catch(() => 0)) === 200, 10_000);

    const random = rng(seed);
    const rssStart = vmRssKb(daemon) / 1024;
    process.stderr.write(
      `chaos: seed ${seed}, ${instances} workers on 127.0.0.1:${port}, a SIGKILL every ${everyMs} ms for ${seconds} s\n`,
    );
    const load = startLoad(port, Number(opts.clients), (seconds + 30) * 1000);
    const kills = [];
    let skipped = 0;
    const t0 = Date.now();
    let nextReport = 10_000;
    while (Date.now() - t0 < seconds * 1000) {
      const online = (await list()).filter((p) => p.status === 'online' && p.pid !== null);
      if (online.length === 0) skipped++;
      else {
        const victim = online[Math.floor(random() * online.length)];
        if (environOf(victim.pid).includes(`SUP_HOME=${home.dir}`)) {
          process.kill(victim.pid, 'SIGKILL');
          kills.push({ id: victim.id, pid: victim.pid, at: Date.now() - t0 });
        } else skipped++;
      }
      if (Date.now() - t0 >= nextReport) {
        process.stderr.write(`  t=${nextReport / 1000} s  kills=${kills.length}  daemon rss=${(vmRssKb(daemon) / 1024).toFixed(1)} MB\n`);
        nextReport += 10_000;
      }
      await sleep(everyMs);
    }
    const loaded = await load.stop();

    const recoverStart = Date.now();
    let last = [];
    let converged = true;
    try {
      await waitFor(
        'every instance online and one restart per kill',
        async () => {
          last = await list();
          return (
            last.length === instances &&
            last.every((p) => p.status === 'online') &&
            last.reduce((n, p) => n + p.restarts, 0) === kills.length
          );
        },
        30_000,
      );
    } catch {
      converged = false;
    }
    const recoveryMs = Date.now() - recoverStart;
    const workers = new Set(last.map((p) => p.pid));
    const all = pidsWithSupHome((h) => h === home.dir);
    const strays = all.filter((pid) => pid !== daemon && !workers.has(pid) && !/sup-(cluster-primary|guardian)\.js/.test(cmdline(pid)));
    const zombies = zombiesOf(new Set([daemon, ...all]));
    const report = {
      seed,
      seconds,
      instances,
      kills: kills.length,
      skippedTicks: skipped,
      restarts: last.reduce((n, p) => n + p.restarts, 0),
      restartsPerInstance: last.map((p) => p.restarts),
      statuses: last.map((p) => p.status),
      converged,
      recoveryMs,
      strays: strays.map((pid) => `${pid} ${cmdline(pid)}`),
      zombies,
      load: loaded,
      daemonRssStartMb: Number(rssStart.toFixed(1)),
      daemonRssEndMb: Number((vmRssKb(daemon) / 1024).toFixed(1)),
    };
    const ok = converged && strays.length === 0 && zombies.length === 0;
    if (opts.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    else {
      process.stdout.write(
        [
          `chaos (seed ${seed}): ${report.kills} SIGKILLs in ${seconds} s on ${instances} workers (${skipped} ticks with no online worker)`,
          `restarts: ${report.restarts} (per instance ${report.restartsPerInstance.join('/')}), statuses ${report.statuses.join('/')}, ${converged ? `converged ${recoveryMs} ms after the last kill` : 'DID NOT CONVERGE in 30 s'}`,
          `load: ${loaded.ok} ok, ${loaded.failed} failed ${JSON.stringify(loaded.errors)}`,
          `orphans: ${strays.length}${strays.length ? ` ${report.strays.join('; ')}` : ''}; zombies: ${zombies.length}`,
          `daemon RSS: ${report.daemonRssStartMb} MB → ${report.daemonRssEndMb} MB`,
          ok ? 'ok' : 'FAILED',
          '',
        ].join('\n'),
      );
    }
    process.exitCode = ok ? 0 : 1;
  } finally {
    client?.close();
    await root.cleanupAll();
  }
}

main().catch((err) => {
  process.stderr.write(`${err.stack ?? err.message}\n`);
  process.exitCode = 1;
});
