import { describe, expect } from 'vitest';
import { fixture } from './harness/paths.js';
import { startCrashing } from './helpers/apps.js';
import { it } from './helpers/sup-test.js';

describe('command edges', () => {
  it('refuses `stop all`, `restart all` and `delete all` with no app, with a message and a non-zero exit', async ({ sup }) => {
    for (const command of ['stop', 'restart', 'delete', 'reset']) {
      const result = await sup.run([command, 'all']);
      expect(result.code, `${command} all`).not.toBe(0);
      expect(result.stderr).toMatch(/manages no apps/);
      expect(result.stdout).not.toMatch(/^stopped|^deleted/m);
    }
  });

  it("starts the apps of an ecosystem document read from stdin (`sup start -`), paths from the caller's folder", async ({ sup }) => {
    const doc = JSON.stringify({ apps: [{ name: 'piped', script: 'forever.js' }] });
    const out = await sup.ok(['start', '-'], { input: doc, cwd: fixture('.') });
    expect(out).toMatch(/started piped/);
    await sup.waitForStatus('piped', 'online');
    const empty = await sup.run(['start', '-'], { input: '' });
    expect(empty.code).not.toBe(0);
    expect(empty.stderr).toMatch(/read nothing from stdin/);
    const bad = await sup.run(['start', '-'], { input: '{"apps": [' });
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/stdin: invalid JSON/);
  });

  it('restarts an app that already runs on `sup start <name>`, as PM2 does, and starts a stopped one', async ({ sup }) => {
    await sup.ok(['start', fixture('forever.js'), '--name', 'web']);
    const [before] = await sup.waitForStatus('web', 'online');
    const out = await sup.ok(['start', 'web']);
    expect(out).toMatch(/restarted web#0 \(already running\)/);
    const [after] = await sup.waitForStatus('web', 'online');
    expect(after!.pid).not.toBe(before!.pid);
    expect(after!.restarts).toBe(1);
    await sup.ok(['stop', 'web']);
    expect(await sup.ok(['start', 'web'])).toMatch(/^started web#0$/m);
  });

  it('counts a restart when the new process starts, not while restart_delay runs', async ({ sup }) => {
    await startCrashing(sup, [fixture('crash.js'), '--name', 'slow', '--restart-delay', '60s']);
    const [waiting] = await sup.waitForStatus('slow', 'waiting-restart');
    expect(waiting!.restarts).toBe(0);
    await sup.ok(['stop', 'slow']);
    const [stopped] = await sup.waitForStatus('slow', 'stopped');
    expect(stopped!.restarts).toBe(0);
  });
});
