import { describe, expect } from 'vitest';
import { fixture } from './harness/paths.js';
import { isAlive } from './harness/proc.js';
import { it } from './helpers/sup-test.js';

describe('app commands', () => {
  it('restarts by name, by id and with "all", counting each restart and changing the pid', async ({ sup }) => {
    await sup.ok(['start', fixture('forever.js'), '--name', 'a']);
    await sup.ok(['start', fixture('forever.js'), '--name', 'b']);
    const [a0] = await sup.waitForStatus('a', 'online');
    const [b0] = await sup.waitForStatus('b', 'online');

    await sup.ok(['restart', 'a']);
    const [a1] = await sup.waitForStatus('a', 'online');
    expect(a1).toMatchObject({ id: a0!.id, restarts: 1 });
    expect(a1!.pid).not.toBe(a0!.pid);
    expect(isAlive(a0!.pid!)).toBe(false);

    await sup.ok(['restart', String(a0!.id)]);
    const [a2] = await sup.waitForStatus('a', 'online');
    expect(a2!.restarts).toBe(2);
    expect(a2!.pid).not.toBe(a1!.pid);

    await sup.ok(['restart', 'all']);
    const [a3] = await sup.waitForStatus('a', 'online');
    const [b1] = await sup.waitForStatus('b', 'online');
    expect(a3!.restarts).toBe(3);
    expect(b1!.restarts).toBe(1);
    expect(a3!.pid).not.toBe(a2!.pid);
    expect(b1!.pid).not.toBe(b0!.pid);
  });

  it('starts a stopped app again by name or id', async ({ sup }) => {
    await sup.ok(['start', fixture('forever.js'), '--name', 'web']);
    const [first] = await sup.waitForStatus('web', 'online');
    await sup.ok(['stop', 'web']);
    await sup.waitForStatus('web', 'stopped');

    await sup.ok(['start', 'web']);
    const [second] = await sup.waitForStatus('web', 'online');
    expect(second!.id).toBe(first!.id);
    expect(second!.pid).not.toBe(first!.pid);
    expect(isAlive(second!.pid!)).toBe(true);

    await (await sup.client()).request('stop', { targets: ['web'] });
    await sup.ok(['start', String(first!.id)]);
    const [third] = await sup.waitForStatus('web', 'online');
    expect(isAlive(third!.pid!)).toBe(true);
  });

  it('deletes an app: it leaves the list and its process is killed', async ({ sup }) => {
    await sup.ok(['start', fixture('forever.js'), '--name', 'web']);
    const [web] = await sup.waitForStatus('web', 'online');

    await sup.ok(['delete', 'web']);
    expect(await sup.list()).toEqual([]);
    expect(JSON.parse(await sup.ok(['list', '--json']))).toEqual([]);
    expect(isAlive(web!.pid!)).toBe(false);
  });

  it('resets the restart counter to zero', async ({ sup }) => {
    await sup.ok(['start', fixture('forever.js'), '--name', 'web']);
    await sup.waitForStatus('web', 'online');
    await sup.ok(['restart', 'web']);
    await sup.waitForApp('web', 'one restart', ([p]) => p!.restarts === 1);

    await sup.ok(['reset', 'web']);
    expect(await sup.info('web')).toMatchObject({ restarts: 0, unstable_restarts: 0, status: 'online' });
  });
});
