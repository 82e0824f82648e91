import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadEcosystem } from '../src/config/load.js';
import { interleave } from './harness/interleave.js';
import { seedFrom } from './harness/random.js';
import { cleanUpAfterEach, makeTempDir, writeEcosystem } from './helpers/apps.js';
import { freePorts } from './helpers/cl-http.js';
import { pidsWithSupHome } from './helpers/proc.js';
import { SupHome, fixture, waitFor } from './helpers/sup.js';

// SUP_INTERLEAVE_SEED=<seed> replays the same sequence of commands.
const SEED = seedFrom('SUP_INTERLEAVE_SEED');
const KILL_TIMEOUT = 600;
const LISTEN_TIMEOUT = 1500;
// Commands queue behind each other on an instance, so a bound covers a few operations in a row; a hang is forever.
const IN_FLIGHT = 4;
const BOUND_MS = IN_FLIGHT * (KILL_TIMEOUT + LISTEN_TIMEOUT + 4000) + 5000;

function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return '';
  }
}

describe('commands in random interleavings', () => {
  let sup: SupHome;
  let dir: string;
  cleanUpAfterEach(
    () => sup,
    () => dir,
  );

  it('never hang, against crash-looping, slow-starting and stubborn apps in fork and cluster mode, and leave nothing behind', {
    timeout: 120_000,
  }, async () => {
    sup = SupHome.create();
    dir = makeTempDir();
    const port = await freePorts();
    const common = { kill_timeout: KILL_TIMEOUT, listen_timeout: LISTEN_TIMEOUT, max_restarts: 1000 };
    const file = writeEcosystem(dir, [
      { ...common, name: 'cl-crash', script: fixture('crash.js'), exec_mode: 'cluster', instances: 2, env: { CRASH_AFTER_MS: '50' } },
      {
        ...common,
        name: 'cl-slow',
        script: fixture('slow-listen.js'),
        exec_mode: 'cluster',
        instances: 2,
        env: { LISTEN_AFTER_MS: '300' },
      },
      // The case that hung: two cluster apps of one script on one fixed port.
      { ...common, name: 'cl-port-a', script: fixture('http.js'), exec_mode: 'cluster', instances: 3, env: { PORT: String(port) } },
      { ...common, name: 'cl-port-b', script: fixture('http.js'), exec_mode: 'cluster', instances: 2, env: { PORT: String(port) } },
      { ...common, name: 'cl-live', script: fixture('http.js'), exec_mode: 'cluster', instances: 2, env: { PORT: '0' } },
      { ...common, name: 'fork-crash', script: fixture('crash.js'), env: { CRASH_AFTER_MS: '30' } },
      { ...common, name: 'fork-stubborn', script: fixture('ignore-term.js') },
      { ...common, name: 'fork-slow', script: fixture('slow-listen.js'), wait_ready: true, env: { LISTEN_AFTER_MS: '300' } },
    ]);
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
    expect(result.done.length).toBeGreaterThan(20);
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
  }, async () => {
    sup = SupHome.create();
    dir = makeTempDir();
    const file = writeEcosystem(dir, [
      { name: 'web', script: fixture('http.js'), exec_mode: 'cluster', instances: 2, kill_timeout: KILL_TIMEOUT, env: { PORT: '0' } },
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
        new Promise<'hung'>((r) => setTimeout(() => r('hung'), KILL_TIMEOUT + 10_000)),
      ]);
      expect(stopped, `round ${round}: the stop returned`).not.toBe('hung');
      if (stopped === 'hung') return;
      expect(stopped.map((p) => p.status)).toEqual(['stopped', 'stopped']);
      // Stopped means nothing of it runs: a stop that only gave up waiting would leave the new worker behind.
      await waitFor(
        `round ${round}: no worker left after the stop`,
        () => workers().length === 0,
        2000,
        () => workers(),
      );
      console.log(`interleavings: restart+stop round ${round}: stop took ${Date.now() - t0} ms`);
      await restart;
      await client.request('startExisting', { targets: ['web'] });
    }
  });
});
