// Chaos under load (opt-in, not part of `npm test`): an HTTP cluster app on 127.0.0.1 under a small loopback load,
// one random online worker killed with SIGKILL every --every-ms for --seconds (default 60). At the end every instance
// must be online, the restart counters must add up to the kills, and no orphan or zombie of the SUP_HOME may exist.
// Usage: node bench/chaos.js [--seconds 60] [--instances 4] [--every-ms 500] [--clients 4] [--seed N] [--json]
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { answers, freePorts } from '../test/harness/http.js';
import { startLoad } from '../test/harness/load.js';
import { fixture } from '../test/harness/paths.js';
import { cmdline, environOf, pidsWithSupHome, vmRssKb, zombiesOf } from '../test/harness/proc.js';
import { rng, seedFrom } from '../test/harness/random.js';
import { sleep, waitFor } from '../test/harness/wait.js';
import { HomeRoot } from './lib/home-root.js';

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
const seed = opts.seed !== undefined ? Number(opts.seed) >>> 0 : seedFrom('SUP_CHAOS_SEED');

async function main() {
  const root = HomeRoot.open();
  try {
    const home = root.create();
    const port = await freePorts();
    const ecosystem = join(root.scratchDir(), 'chaos.json');
    writeFileSync(
      ecosystem,
      JSON.stringify({
        apps: [{ name: 'web', script: fixture('http.js'), instances, exec_mode: 'cluster', env: { PORT: String(port) } }],
      }),
    );
    await home.ok(['start', ecosystem]);
    await home.waitForStatus('web', 'online');
    const daemon = home.daemonPid();
    const list = async () => (await home.list()).filter((p) => p.name === 'web');
    await waitFor('HTTP answers', () => answers(port), 10_000);

    const random = rng(seed);
    const rssStart = vmRssKb(daemon) / 1024;
    process.stderr.write(
      `chaos: seed ${seed}, ${instances} workers on 127.0.0.1:${port}, a SIGKILL every ${everyMs} ms for ${seconds} s\n`,
    );
    const load = startLoad(port, { clients: Number(opts.clients), pauseMs: 2, maxRequests: 2_000_000, maxMs: (seconds + 30) * 1000 });
    const kills = [];
    let skipped = 0;
    const t0 = Date.now();
    let nextReport = 10_000;
    while (Date.now() - t0 < seconds * 1000) {
      const online = (await list()).filter((p) => p.status === 'online' && p.pid !== null);
      if (online.length === 0) skipped++;
      else {
        const victim = online[Math.floor(random() * online.length)];
        if (environOf(victim.pid).includes(`SUP_HOME=${home.home}`)) {
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
    const all = pidsWithSupHome((h) => h === home.home);
    const keeper = home.keeperPid();
    const strays = all.filter((pid) => pid !== daemon && pid !== keeper && !workers.has(pid));
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
      load: { ok: loaded.ok, failed: loaded.failed, errors: loaded.errors, endedBy: loaded.endedBy },
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
    await root.cleanupAll();
  }
}

main().catch((err) => {
  process.stderr.write(`${err.stack ?? err.message}\n`);
  process.exitCode = 1;
});
