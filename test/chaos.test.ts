import { describe, expect } from 'vitest';
import type { ProcessInfo } from '../src/protocol/messages.js';
import { freePorts, waitForHttp } from './harness/http.js';
import { startLoad } from './harness/load.js';
import { fixture } from './harness/paths.js';
import { cmdline, environOf, pidsWithSupHome, zombiesOf } from './harness/proc.js';
import { rng, seedFrom } from './harness/random.js';
import type { SupHome } from './harness/sup-home.js';
import { sleep, waitFor } from './harness/wait.js';
import { bodies } from './helpers/cl-http.js';
import { it } from './helpers/sup-test.js';

// The victims are picked with a seeded PRNG: SUP_CHAOS_SEED=<seed> replays the same choices.
const SEED = seedFrom('SUP_CHAOS_SEED');
const INSTANCES = 3;
const CHAOS_MS = 8000;
const KILL_EVERY_MS = 500;

/** Whether the pid still runs with this SUP_HOME (a recycled pid is never killed by mistake). */
const ours = (sup: SupHome, pid: number) => environOf(pid).includes(`SUP_HOME=${sup.home}`);

const restartsOf = (ps: ProcessInfo[]) => ps.reduce((n, p) => n + p.restarts, 0);

describe('chaos', () => {
  it('brings back every instance killed with SIGKILL under load, one restart per kill, with no orphan or zombie', {
    timeout: 120_000,
  }, async ({ sup }) => {
    console.log(`chaos: seed ${SEED} (replay with SUP_CHAOS_SEED=${SEED})`);
    const random = rng(SEED);
    const port = await freePorts();
    await sup.ok(['start', fixture('http.js'), '--name', 'web', '-i', String(INSTANCES)], { env: { PORT: String(port) } });
    await sup.waitForStatus('web', 'online');
    await waitForHttp(port);

    const load = startLoad(port, { clients: 4, pauseMs: 2, maxRequests: 40_000, maxMs: CHAOS_MS + 5000 });
    const kills: { id: number; pid: number; at: number }[] = [];
    const t0 = Date.now();
    const client = await sup.client();
    while (Date.now() - t0 < CHAOS_MS) {
      const online = (await client.request('list', {})).processes.filter(
        (p) => p.name === 'web' && p.status === 'online' && p.pid !== null,
      );
      if (online.length > 0) {
        const victim = online[Math.floor(random() * online.length)]!;
        if (ours(sup, victim.pid!)) {
          process.kill(victim.pid!, 'SIGKILL');
          kills.push({ id: victim.id, pid: victim.pid!, at: Date.now() - t0 });
        }
      }
      // Pacing, not synchronisation: the next victim is whoever is online then.
      await sleep(KILL_EVERY_MS);
    }
    const loaded = await load.stop();

    let last: ProcessInfo[] = [];
    await waitFor(
      `every instance online and ${kills.length} restarts (seed ${SEED})`,
      async () => {
        last = (await sup.list()).filter((p) => p.name === 'web');
        return last.length === INSTANCES && last.every((p) => p.status === 'online') && restartsOf(last) === kills.length;
      },
      30_000,
      () => ({ kills, processes: last }),
    );
    expect(kills.length).toBeGreaterThanOrEqual(CHAOS_MS / KILL_EVERY_MS / 2);
    for (const { pid } of kills) expect(ours(sup, pid), `killed pid ${pid} is gone`).toBe(false);

    // Every process of this home is the daemon, its keeper (the cluster primary) or a current worker.
    const workers = new Set(last.map((p) => p.pid!));
    const daemon = sup.daemonPid()!;
    const keeper = sup.keeperPid();
    const strays = () =>
      pidsWithSupHome((home) => home === sup.home).filter((pid) => pid !== daemon && pid !== keeper && !workers.has(pid));
    const family = () => new Set([daemon, ...workers, ...pidsWithSupHome((home) => home === sup.home)]);
    await waitFor(
      'no orphan and no zombie',
      () => strays().length === 0 && zombiesOf(family()).length === 0,
      10_000,
      () => ({
        strays: strays().map((pid) => `${pid} ${cmdline(pid)}`),
        zombies: zombiesOf(family()),
      }),
    );

    // The workers that came back serve.
    const answered = new Set((await bodies(port, INSTANCES * 4)).map((b) => Number(b.split(' ')[0])));
    expect([...answered].every((pid) => workers.has(pid))).toBe(true);
    console.log(
      `chaos (seed ${SEED}): ${kills.length} SIGKILLs over ${CHAOS_MS / 1000} s on ${INSTANCES} workers; restarts ${restartsOf(last)} ` +
        `(per instance ${last.map((p) => p.restarts).join('/')}); load: ${loaded.ok} ok, ${loaded.failed} failed (${[...new Set(loaded.samples)].join(', ')}), ended by ${loaded.endedBy}`,
    );
    expect(loaded.ok).toBeGreaterThan(0);
  });
});
