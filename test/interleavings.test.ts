import { describe, expect } from 'vitest';
import { loadEcosystem } from '../src/config/load.js';
import { freePorts } from './harness/http.js';
import { hangBoundMs, interleave, interleaveApps, KILL_TIMEOUT_MS } from './harness/interleave.js';
import { fixture } from './harness/paths.js';
import { cmdline, pidsWithSupHome } from './harness/proc.js';
import { seedFrom } from './harness/random.js';
import { waitFor } from './harness/wait.js';
import { writeEcosystem } from './helpers/apps.js';
import { it } from './helpers/sup-test.js';

// SUP_INTERLEAVE_SEED=<seed> replays the same sequence of commands.
const SEED = seedFrom('SUP_INTERLEAVE_SEED');
const IN_FLIGHT = 4;
const BOUND_MS = hangBoundMs(IN_FLIGHT);

describe('commands in random interleavings', () => {
  it('never hang, against crash-looping, slow-starting and stubborn apps in fork and cluster mode, and leave nothing behind', {
    timeout: 120_000,
  }, async ({ sup, dir }) => {
    const port = await freePorts();
    const file = writeEcosystem(dir, interleaveApps(port));
    const { apps } = await loadEcosystem(file);
    await sup.ok(['start', file]);
    const client = await sup.client();
    const env = sup.env() as Record<string, string>;

    const result = await interleave({
      request: (type, body) => client.request(type as never, body as never),
      apps,
      seed: SEED,
      durationMs: 8000,
      boundMs: BOUND_MS,
      inFlight: IN_FLIGHT,
      env,
    });
    const summary = `seed ${SEED} (replay with SUP_INTERLEAVE_SEED=${SEED}): ${result.done.length} commands, slowest ${JSON.stringify(result.slowest)}`;
    console.log(`interleavings: ${summary}`);
    expect(result.hung, summary).toEqual([]);
    // That something was exercised: ~35 commands finish in the 8 s on a quiet machine, half that on a loaded one.
    expect(result.done.length, summary).toBeGreaterThan(10);
    // No stop gave up waiting and only assumed its process gone.
    const assumed = (await sup.list()).filter((p) => p.status_reason?.includes('assumed gone'));
    expect(assumed, summary).toEqual([]);

    // The daemon still stops everything, within the longest kill_timeout and a bound.
    const daemon = sup.daemonPid();
    const t0 = Date.now();
    const kill = await sup.run(['kill'], { timeoutMs: 30_000 });
    expect(kill.code, kill.stderr).toBe(0);
    console.log(`interleavings: sup kill took ${Date.now() - t0} ms`);
    await waitFor(
      'nothing of this home left running',
      () => pidsWithSupHome((home) => home === sup.home).length === 0,
      10_000,
      () => pidsWithSupHome((home) => home === sup.home),
    );
    expect(daemon).toBeDefined();
  });

  it('stops a cluster worker asked to stop before its pid is known (a restart and a stop in the same instant)', {
    timeout: 120_000,
  }, async ({ sup, dir }) => {
    const file = writeEcosystem(dir, [
      { name: 'web', script: fixture('http.js'), exec_mode: 'cluster', instances: 2, kill_timeout: KILL_TIMEOUT_MS, env: { PORT: '0' } },
    ]);
    await sup.ok(['start', file]);
    await sup.waitForStatus('web', 'online');
    const client = await sup.client();
    const workers = () => pidsWithSupHome((home) => home === sup.home).filter((pid) => cmdline(pid).includes('http.js'));
    for (let round = 0; round < 8; round++) {
      const restart = client.request('restart', { targets: ['web'] }).catch(() => undefined);
      const t0 = Date.now();
      const stopped = await Promise.race([
        client.request('stop', { targets: ['web'] }).then((r) => r.processes),
        new Promise<'hung'>((r) => setTimeout(() => r('hung'), KILL_TIMEOUT_MS + 20_000)),
      ]);
      expect(stopped, `round ${round}: the stop returned`).not.toBe('hung');
      if (stopped === 'hung') return;
      expect(stopped.map((p) => p.status)).toEqual(['stopped', 'stopped']);
      // Stopped means nothing of it runs: a stop that only gave up waiting would leave the new worker behind.
      await waitFor(
        `round ${round}: no worker left after the stop`,
        () => workers().length === 0,
        5000,
        () => workers(),
      );
      console.log(`interleavings: restart+stop round ${round}: stop took ${Date.now() - t0} ms`);
      await restart;
      await client.request('startExisting', { targets: ['web'] });
    }
  });
});
