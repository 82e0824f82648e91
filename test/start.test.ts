import { realpathSync } from 'node:fs';
import { describe, expect } from 'vitest';
import { fixture } from './harness/paths.js';
import { isAlive } from './harness/proc.js';
import { waitForLogLine } from './helpers/apps.js';
import { it } from './helpers/sup-test.js';

describe('start', () => {
  it('restarts an app that runs already (as PM2); -f starts another copy; --replace replaces it under the same id', async ({ sup }) => {
    await sup.ok(['start', fixture('forever.js'), '--name', 'web']);
    const [before] = await sup.waitForStatus('web', 'online');

    const again = await sup.ok(['start', fixture('forever.js'), '--name', 'web']);
    expect(again).toMatch(/restarted web/);
    const [restarted] = await sup.waitForStatus('web', 'online');
    expect(restarted).toMatchObject({ id: before!.id, restarts: 1 });
    expect(restarted!.pid).not.toBe(before!.pid);

    await sup.ok(['start', fixture('forever.js'), '--name', 'web', '-f']);
    const copies = await sup.waitForStatus('web', 'online');
    expect(copies.map((p) => p.id)).toEqual([before!.id, before!.id + 1]);

    await sup.ok(['start', fixture('forever.js'), '--name', 'web', '--replace']);
    const [after] = await sup.waitForStatus('web', 'online');
    expect(after!.id).toBe(before!.id);
    expect(isAlive(restarted!.pid!)).toBe(false);
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
