import { describe, expect } from 'vitest';
import { fixture } from './harness/paths.js';
import { holdsFor } from './harness/wait.js';
import { describeApp, startCrashing, writeEcosystem } from './helpers/apps.js';
import { it } from './helpers/sup-test.js';

describe('restart policy', () => {
  it('ends a crash loop as errored after max_restarts, and says why', async ({ sup }) => {
    // A long min_uptime, so that even a slow start on a loaded machine counts as a crash within it.
    await startCrashing(sup, [fixture('crash.js'), '--name', 'loop', '--max-restarts', '2', '--min-uptime', '5s']);
    const [loop] = await sup.waitForStatus('loop', 'errored');
    expect(loop).toMatchObject({ restarts: 2, pid: null, exit_code: 1 });

    const [described] = await describeApp(sup, 'loop');
    expect(described!.status).toBe('errored');
    expect(described!.status_reason).toMatch(/max_restarts/);
  });

  it('ends errored an app that ran long enough once and then crashes at once on every restart', async ({ sup, dir }) => {
    await sup.ok(['start', fixture('crash-after-first.js'), '--name', 'flaky', '--max-restarts', '2', '--min-uptime', '2s'], {
      env: { MARKER_DIR: dir, FIRST_RUN_MS: '2500' },
    });
    // The first (stable) exit is a restart that does not count towards max_restarts; then 2 unstable restarts, then give up.
    const [flaky] = await sup.waitForStatus('flaky', 'errored', 15_000);
    expect(flaky!.restarts).toBe(3);
    const [described] = await describeApp(sup, 'flaky');
    expect(described!.status_reason).toMatch(/max_restarts is 2/);
  });

  it('never restarts an app that exits when autorestart is off', async ({ sup }) => {
    await startCrashing(sup, [fixture('crash.js'), '--name', 'once', '--no-autorestart']);
    const [once] = await sup.waitForApp(
      'once',
      'stopped after exiting with code 1',
      ([p]) => p!.status === 'stopped' && p!.exit_code === 1,
    );
    expect(once).toMatchObject({ restarts: 0, pid: null });
    expect(once!.status_reason).toMatch(/autorestart is off/);

    await holdsFor('"once" to stay stopped with 0 restarts', 1500, async () => {
      const p = await sup.info('once');
      return p.status === 'stopped' && p.restarts === 0 ? undefined : JSON.stringify(p);
    });
  });

  it('stops an app whose exit code is in stop_exit_codes, and restarts one whose code is not', async ({ sup, dir }) => {
    const common = { script: fixture('crash.js'), stop_exit_codes: [3], max_restarts: 1, min_uptime: '5s' };
    const file = writeEcosystem(dir, [
      { ...common, name: 'three', env: { CRASH_CODE: '3' } },
      { ...common, name: 'four', env: { CRASH_CODE: '4' } },
    ]);
    // "four" crashes at start (so the command fails); "three" ends as its stop_exit_codes say, which is no crash.
    expect(await startCrashing(sup, [file])).not.toContain('three#');

    const [three] = await sup.waitForApp('three', 'stopped with code 3', ([p]) => p!.status === 'stopped' && p!.exit_code === 3);
    expect(three!.restarts).toBe(0);
    expect(three!.status_reason).toMatch(/stop_exit_codes/);

    // "four" is restarted (once, then max_restarts 1 makes it errored); meanwhile "three" stays down.
    const [four] = await sup.waitForStatus('four', 'errored');
    expect(four).toMatchObject({ restarts: 1, exit_code: 4 });
    expect(await sup.info('three')).toMatchObject({ status: 'stopped', restarts: 0 });
  });
});
