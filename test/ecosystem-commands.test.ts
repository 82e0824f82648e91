import { describe, expect } from 'vitest';
import type { ProcessInfo } from '../src/protocol/messages.js';
import { freePorts } from './harness/http.js';
import { fixture } from './harness/paths.js';
import { isAlive } from './harness/proc.js';
import type { SupHome } from './harness/sup-home.js';
import { holdsFor } from './harness/wait.js';
import { describeApp, waitForLogLine, writeEcosystem } from './helpers/apps.js';
import { answeringPids } from './helpers/cl-http.js';
import { it } from './helpers/sup-test.js';

/**
 * Commands on names and on ecosystem files: which environment a restart uses, `restart|reload <file>`
 * (PM2's startOrRestart), and all-or-nothing starts and updates.
 */

const VARS = fixture('print-vars.js');

/** The variables an instance's current process printed (the line carrying its pid). */
async function varsOf(sup: SupHome, p: ProcessInfo): Promise<Record<string, string | null>> {
  const line = await waitForLogLine(sup, p.name, new RegExp(`"pid":${p.pid},`), p.instance);
  return (JSON.parse(line) as { vars: Record<string, string | null> }).vars;
}

/** Waits until the app has `count` instances, all online, none of them running one of the `old` pids. */
function waitForFresh(sup: SupHome, name: string, count: number, old: readonly (number | null)[]): Promise<ProcessInfo[]> {
  return sup.waitForApp(
    name,
    `${count} online instances with new pids (old: ${old.join(', ')})`,
    (ps) => ps.length === count && ps.every((p) => p.status === 'online' && p.pid !== null && !old.includes(p.pid)),
  );
}

const summary = (ps: ProcessInfo[]) => ps.map((p) => ({ name: p.name, id: p.id, pid: p.pid, status: p.status, restarts: p.restarts }));

describe('restart by name: the environment', () => {
  it("keeps the environment the app started with; --update-env takes the CLI's current one, and keeps it", async ({ sup }) => {
    await sup.ok(['start', VARS, '--name', 'vars', '--', 'SHELL_VAR'], { env: { SHELL_VAR: 'first' } });
    const [p0] = await sup.waitForStatus('vars', 'online');
    expect(await varsOf(sup, p0!)).toEqual({ SHELL_VAR: 'first' });

    // The shell changed, but a plain restart keeps what the app was started with.
    await sup.ok(['restart', 'vars'], { env: { SHELL_VAR: 'second' } });
    const [p1] = await waitForFresh(sup, 'vars', 1, [p0!.pid]);
    expect(p1!.restarts).toBe(1);
    expect(await varsOf(sup, p1!)).toEqual({ SHELL_VAR: 'first' });

    await sup.ok(['restart', 'vars', '--update-env'], { env: { SHELL_VAR: 'second' } });
    const [p2] = await waitForFresh(sup, 'vars', 1, [p0!.pid, p1!.pid]);
    expect(p2!.restarts).toBe(2);
    expect(await varsOf(sup, p2!)).toEqual({ SHELL_VAR: 'second' });

    // The updated environment is now the app's own: the next plain restart keeps it.
    await sup.ok(['restart', 'vars'], { env: { SHELL_VAR: 'third' } });
    const [p3] = await waitForFresh(sup, 'vars', 1, [p0!.pid, p1!.pid, p2!.pid]);
    expect(await varsOf(sup, p3!)).toEqual({ SHELL_VAR: 'second' });
  });
});

describe('start <file>: --only, --env and flags over the file', () => {
  it('starts only the named apps, with env_<name> merged and CLI flags winning over file values', async ({ sup, dir }) => {
    const file = writeEcosystem(dir, [
      {
        name: 'a',
        script: VARS,
        args: ['WHO', 'STAGE'],
        kill_timeout: 500,
        env: { WHO: 'a', STAGE: 'dev' },
        env_production: { STAGE: 'prod' },
      },
      { name: 'b', script: VARS },
    ]);
    await sup.ok(['start', file, '--only', 'a', '--env', 'production', '--kill-timeout', '3s', '--max-restarts', '4']);
    const [a] = await sup.waitForStatus('a', 'online');
    expect((await sup.list()).map((p) => p.name)).toEqual(['a']);
    expect(await varsOf(sup, a!)).toEqual({ WHO: 'a', STAGE: 'prod' });
    const [described] = await describeApp(sup, 'a');
    expect(described!.config).toMatchObject({ kill_timeout: 3000, max_restarts: 4 });
  });
});

describe('restart, startOrRestart and reload of an ecosystem file', () => {
  it('restart <file> starts the apps that are not running and restarts the others', async ({ sup, dir }) => {
    const file = writeEcosystem(dir, [
      { name: 'a', script: VARS, args: ['WHO'], env: { WHO: 'a' } },
      { name: 'b', script: VARS, args: ['WHO'], env: { WHO: 'b' } },
    ]);
    await sup.ok(['start', file, '--only', 'a']);
    const [a0] = await sup.waitForStatus('a', 'online');
    expect((await sup.list()).map((p) => p.name)).toEqual(['a']);

    const out = await sup.ok(['restart', file]);
    expect(out).toContain('started b (not running before)');
    expect(out).toContain(`restarted a#${a0!.id}`);
    const [a1] = await waitForFresh(sup, 'a', 1, [a0!.pid]);
    expect(a1).toMatchObject({ id: a0!.id, restarts: 1 });
    expect(isAlive(a0!.pid!)).toBe(false);
    const [b0] = await sup.waitForStatus('b', 'online');
    expect(b0!.restarts).toBe(0);
    expect(await varsOf(sup, b0!)).toEqual({ WHO: 'b' });
  });

  it('startOrRestart <file> does the same: restarts what runs, starts what is missing', async ({ sup, dir }) => {
    const file = writeEcosystem(dir, [
      { name: 'a', script: VARS, args: ['WHO'], env: { WHO: 'a' } },
      { name: 'b', script: VARS, args: ['WHO'], env: { WHO: 'b' } },
    ]);
    const first = await sup.ok(['startOrRestart', file]);
    expect(first).toContain('started a, b (not running before)');
    const [a0] = await sup.waitForStatus('a', 'online');
    const [b0] = await sup.waitForStatus('b', 'online');
    expect([a0!.restarts, b0!.restarts]).toEqual([0, 0]);

    await sup.ok(['delete', 'b']);
    const second = await sup.ok(['startOrRestart', file]);
    expect(second).toContain('started b (not running before)');
    const [a1] = await waitForFresh(sup, 'a', 1, [a0!.pid]);
    expect(a1!.restarts).toBe(1);
    const [b1] = await sup.waitForStatus('b', 'online');
    expect(b1!.restarts).toBe(0);
    expect(await varsOf(sup, b1!)).toEqual({ WHO: 'b' });
  });

  it("restart <file> applies the file as it is now (PM2's json-reload): its env, keys and instance count", async ({ sup, dir }) => {
    const app = { name: 'greeter', script: VARS, args: ['GREETING'], exec_mode: 'fork' };
    const file = writeEcosystem(dir, [{ ...app, instances: 2, env: { GREETING: 'hello' } }]);
    await sup.ok(['start', file]);
    const v0 = await sup.waitForApp('greeter', '2 online', (ps) => ps.length === 2 && ps.every((p) => p.status === 'online'));
    for (const p of v0) expect(await varsOf(sup, p)).toEqual({ GREETING: 'hello' });

    writeEcosystem(dir, [{ ...app, instances: 3, kill_timeout: 700, env: { GREETING: 'bonjour' } }]);
    await sup.ok(['restart', file]);
    const v1 = await waitForFresh(
      sup,
      'greeter',
      3,
      v0.map((p) => p.pid),
    );
    expect(v1.map((p) => p.instance)).toEqual([0, 1, 2]);
    expect(v1.slice(0, 2).map((p) => p.id)).toEqual(v0.map((p) => p.id));
    for (const p of v1) expect(await varsOf(sup, p)).toEqual({ GREETING: 'bonjour' });
    expect((await describeApp(sup, 'greeter'))[0]!.config.kill_timeout).toBe(700);
    // The two existing instances were restarted; the third is new, so it has never been restarted (as after `sup scale`).
    expect(
      v1.map((p) => p.restarts),
      JSON.stringify(summary(v1)),
    ).toEqual([1, 1, 0]);
  });

  it('restart <file> --update-env --env production merges env_production over env', async ({ sup, dir }) => {
    const file = writeEcosystem(dir, [
      {
        name: 'api',
        script: VARS,
        args: ['NODE_ENV', 'API_URL'],
        env: { NODE_ENV: 'development', API_URL: 'http://dev.local' },
        env_production: { NODE_ENV: 'production' },
      },
    ]);
    await sup.ok(['start', file]);
    const [p0] = await sup.waitForStatus('api', 'online');
    expect(await varsOf(sup, p0!)).toEqual({ NODE_ENV: 'development', API_URL: 'http://dev.local' });

    await sup.ok(['restart', file, '--update-env', '--env', 'production']);
    const [p1] = await waitForFresh(sup, 'api', 1, [p0!.pid]);
    expect(p1!.restarts).toBe(1);
    expect(await varsOf(sup, p1!)).toEqual({ NODE_ENV: 'production', API_URL: 'http://dev.local' });
  });

  it('reload <file> reloads a running cluster app instance by instance and starts the apps that are missing', async ({ sup, dir }) => {
    const port = await freePorts();
    const file = writeEcosystem(dir, [
      { name: 'web', script: fixture('http.js'), instances: 2, exec_mode: 'cluster', env: { PORT: String(port) } },
      { name: 'side', script: VARS, args: ['WHO'], env: { WHO: 'side' } },
    ]);
    await sup.ok(['start', file, '--only', 'web']);
    const w0 = await sup.waitForApp('web', '2 online', (ps) => ps.length === 2 && ps.every((p) => p.status === 'online'));
    expect(w0.map((p) => p.mode)).toEqual(['cluster', 'cluster']);

    const out = await sup.ok(['reload', file]);
    expect(out).toContain('started side (not running before)');
    expect(out).toContain(`reloaded web#${w0[0]!.id}, web#${w0[1]!.id}`);
    const w1 = await waitForFresh(
      sup,
      'web',
      2,
      w0.map((p) => p.pid),
    );
    expect(w1.map((p) => p.restarts)).toEqual([1, 1]);
    for (const p of w0) expect(isAlive(p.pid!)).toBe(false);
    expect([...(await answeringPids(port, 20))].sort()).toEqual(w1.map((p) => p.pid!).sort());
    const [side] = await sup.waitForStatus('side', 'online');
    expect(side!.restarts).toBe(0);
    expect(await varsOf(sup, side!)).toEqual({ WHO: 'side' });
  });

  it("refuses --update-env when the file changes a running app's exec_mode, naming it, and changes nothing", async ({ sup, dir }) => {
    const a = { name: 'alpha', script: VARS, args: ['V'], env: { V: '1' } };
    const b = { name: 'beta', script: VARS, args: ['V'], env: { V: '1' } };
    const file = writeEcosystem(dir, [a, b]);
    await sup.ok(['start', file]);
    await sup.waitForStatus('alpha', 'online');
    await sup.waitForStatus('beta', 'online');
    const before = summary(await sup.list());

    writeEcosystem(dir, [
      { ...a, exec_mode: 'cluster', env: { V: '2' } },
      { ...b, env: { V: '2' } },
      { name: 'gamma', script: VARS },
    ]);
    const refused = await sup.run(['restart', file, '--update-env']);
    expect(refused.code, refused.stdout).not.toBe(0);
    expect(refused.stderr).toContain('"alpha"');
    expect(refused.stderr).toMatch(/exec_mode|cluster/);

    // All or nothing: beta is not restarted, gamma not started, alpha keeps its process.
    await holdsFor('the list to stay as it was', 500, async () => {
      const now = summary(await sup.list());
      return JSON.stringify(now) === JSON.stringify(before) ? undefined : `before ${JSON.stringify(before)}, now ${JSON.stringify(now)}`;
    });
    for (const p of before) expect(isAlive(p.pid!)).toBe(true);
  });
});

describe('start of an ecosystem file with an invalid app', () => {
  it('starts none of its apps when one has a bad value or a missing script, and the list stays as it was', async ({ sup, dir }) => {
    await sup.ok(['start', fixture('forever.js'), '--name', 'pre']);
    await sup.waitForStatus('pre', 'online');
    const before = summary(await sup.list());

    const badValue = writeEcosystem(
      dir,
      [
        { name: 'good', script: fixture('forever.js') },
        { name: 'bad', script: fixture('forever.js'), kill_timeout: 'fast' },
      ],
      'bad-value.json',
    );
    const r1 = await sup.run(['start', badValue]);
    expect(r1.code, r1.stdout).not.toBe(0);
    expect(r1.stderr).toContain('"bad"');
    expect(r1.stderr).toContain('kill_timeout');
    expect(summary(await sup.list())).toEqual(before);

    const missing = writeEcosystem(
      dir,
      [
        { name: 'good', script: fixture('forever.js') },
        { name: 'ghost', script: './does-not-exist.js' },
      ],
      'missing-script.json',
    );
    const r2 = await sup.run(['start', missing]);
    expect(r2.code, r2.stdout).not.toBe(0);
    expect(r2.stderr).toContain('"ghost"');
    expect(r2.stderr).toContain('does-not-exist.js');
    await holdsFor('no app of the file to appear', 300, async () => {
      const now = summary(await sup.list());
      return JSON.stringify(now) === JSON.stringify(before) ? undefined : JSON.stringify(now);
    });
  });
});
