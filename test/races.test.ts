import { describe, expect } from 'vitest';
import { fixture } from './harness/paths.js';
import type { SupHome } from './harness/sup-home.js';
import { waitFor } from './harness/wait.js';
import { writeEcosystem } from './helpers/apps.js';
import { it } from './helpers/sup-test.js';

/** Requests that overlap: the later one must never undo the earlier one or leave processes sup lost track of. */
describe('overlapping requests', () => {
  /** Processes of this SUP_HOME other than the daemon: the apps sup runs, tracked or not. */
  const appPids = (sup: SupHome) => sup.processes().filter((pid) => pid !== sup.daemonPid());

  it('a restart queued behind a slow delete does not bring the deleted app back', async ({ sup }) => {
    // Ignores SIGTERM: the delete takes kill_timeout, and the restart arrives while it runs.
    await sup.ok(['start', fixture('ignore-term.js'), '--name', 'slow', '--kill-timeout', '1500']);
    await sup.waitForStatus('slow', 'online');
    const deleting = sup.run(['delete', 'slow']);
    await waitFor(
      'the delete to begin stopping',
      async () => (await sup.list())[0]?.status === 'stopping' || (await sup.list()).length === 0,
    );
    const restart = await sup.run(['restart', 'slow']);
    expect((await deleting).code).toBe(0);
    // Either the restart found nothing to restart, or it did nothing: in both cases nothing runs.
    expect(restart.code === 0 || /no app|no process/i.test(restart.stderr)).toBe(true);
    expect(await sup.list()).toEqual([]);
    expect(
      await waitFor(
        'no process of the deleted app',
        () => appPids(sup).length === 0 || undefined,
        5000,
        () => appPids(sup),
      ),
    ).toBe(true);
  });

  it('a reload asked for while `restart <file> --update-env` runs is refused, and the update completes', async ({ sup, dir }) => {
    const file = writeEcosystem(dir, [
      { name: 'web', script: fixture('ignore-term.js'), kill_timeout: 1500, instances: 2, exec_mode: 'fork' },
    ]);
    await sup.ok(['start', file]);
    await sup.waitForApp('web', 'two online', (ps) => ps.length === 2 && ps.every((p) => p.status === 'online'));
    writeEcosystem(dir, [{ name: 'web', script: fixture('ignore-term.js'), kill_timeout: 1500, instances: 3, exec_mode: 'fork' }]);
    const updating = sup.run(['restart', file, '--update-env']);
    await waitFor('the update to begin', async () => (await sup.list()).some((p) => p.status === 'stopping'));
    // Over the open connection, not a CLI run: a busy machine must not let the update finish before it arrives.
    await expect((await sup.client()).request('reload', { targets: ['web'], parallel: 1 })).rejects.toThrow(
      'a reload of "web" is already running',
    );
    expect((await updating).code).toBe(0);
    const after = await sup.waitForApp('web', 'three online', (ps) => ps.length === 3 && ps.every((p) => p.status === 'online'));
    expect(after.map((p) => p.restarts)).toEqual([1, 1, 0]);
  });
});
