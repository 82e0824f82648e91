import { realpathSync } from 'node:fs';
import { describe, expect } from 'vitest';
import { fixture } from './harness/paths.js';
import { isAlive } from './harness/proc.js';
import { waitForLogLine } from './helpers/apps.js';
import { it } from './helpers/sup-test.js';

describe('start', () => {
  it('refuses to start a name that already exists unless -f, which replaces it under the same id', async ({ sup }) => {
    await sup.ok(['start', fixture('forever.js'), '--name', 'web']);
    const [before] = await sup.waitForStatus('web', 'online');

    const refused = await sup.run(['start', fixture('forever.js'), '--name', 'web']);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/"web" already exists/);
    expect(refused.stderr).toMatch(/-f\b/);
    expect(await sup.info('web')).toMatchObject({ pid: before!.pid, status: 'online' });

    await sup.ok(['start', fixture('forever.js'), '--name', 'web', '-f']);
    const [after] = await sup.waitForStatus('web', 'online');
    expect(after!.id).toBe(before!.id);
    expect(after!.pid).not.toBe(before!.pid);
    expect(isAlive(before!.pid!)).toBe(false);
    expect(await sup.list()).toHaveLength(1);
  });

  it('gives each instance NODE_APP_INSTANCE and SUP_APP_NAME, passes the args after --, and runs in --cwd', async ({ sup, dir }) => {
    await sup.ok(['start', fixture('print-env.js'), '--name', 'envy', '-i', '2', '--cwd', dir, '--', '--port', '3000', 'two words']);
    const instances = await sup.waitForStatus('envy', 'online');
    expect(instances).toHaveLength(2);

    for (const instance of [0, 1]) {
      const seen = JSON.parse(await waitForLogLine(sup, 'envy', /^\{/, instance)) as Record<string, unknown>;
      expect(seen).toMatchObject({ instance: String(instance), name: 'envy', args: ['--port', '3000', 'two words'] });
      expect(realpathSync(seen.cwd as string)).toBe(realpathSync(dir));
      expect(seen.pid).toBe(instances.find((p) => p.instance === instance)!.pid);
    }
  });
});
