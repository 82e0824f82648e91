import { statSync } from 'node:fs';
import { describe, expect } from 'vitest';
import { fixture } from './harness/paths.js';
import { isAlive } from './harness/proc.js';
import { it } from './helpers/sup-test.js';

describe('sup basics', () => {
  it('starts the daemon on demand, runs an app, lists it and stops it', async ({ sup }) => {
    const out = await sup.ok(['start', fixture('forever.js'), '--name', 'web']);
    expect(out).toContain('started web (1 instance, fork mode)');
    const [web] = await sup.waitForStatus('web', 'online');
    expect(web!.pid).toBeGreaterThan(0);
    expect(isAlive(web!.pid!)).toBe(true);

    const json = JSON.parse(await sup.ok(['list', '--json']));
    expect(json[0]).toMatchObject({ id: 0, name: 'web', instance: 0, pid: web!.pid, status: 'online', mode: 'fork', restarts: 0 });
    for (const key of ['uptime', 'cpu', 'memory']) expect(json[0]).toHaveProperty(key);

    await sup.ok(['stop', 'web']);
    expect((await sup.info('web')).status).toBe('stopped');
    expect(isAlive(web!.pid!)).toBe(false);
  });

  it('creates SUP_HOME 0700 and the socket 0600', async ({ sup }) => {
    await sup.ok(['ping']);
    expect(statSync(sup.home).mode & 0o777).toBe(0o700);
    expect(statSync(sup.socket).mode & 0o777).toBe(0o600);
  });
});
