import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect } from 'vitest';
import { fixture, REPO } from './harness/paths.js';
import { waitFor } from './harness/wait.js';
import { describeApp, waitForLogLine } from './helpers/apps.js';
import { it } from './helpers/sup-test.js';

describe('jlist, send, trigger, pid, id, env', () => {
  it("prints PM2's jlist shape, which a script written for pm2 reads unchanged", async ({ sup }) => {
    await sup.ok(['start', fixture('forever.js'), '--name', 'api', '-i', '2']);
    await sup.waitForStatus('api', 'online');
    const list = JSON.parse(await sup.ok(['jlist'])) as Array<Record<string, any>>;
    expect(list).toHaveLength(2);
    expect(list[0]).toMatchObject({ name: 'api', pm_id: 0, pm2_env: { status: 'online', restart_time: 0, exec_mode: 'cluster_mode' } });
    expect(list[0]!.monit.memory).toBeGreaterThan(0);
    // The kind of one-liner PM2's users keep in their scripts.
    const script = `"${process.execPath}" "${join(REPO, 'bin/sup.js')}" jlist | jq -r '.[] | "\\(.name) \\(.pm_id) \\(.pm2_env.status) \\(.pm2_env.restart_time) \\(.pid)"'`;
    const lines = execFileSync('sh', ['-c', script], { env: sup.env() }).toString().trim().split('\n');
    expect(lines).toEqual(list.map((p) => `api ${p.pm_id} online 0 ${p.pid}`));
    expect(await sup.ok(['prettylist'])).toMatch(/status: 'online'/);
    expect((await sup.ok(['pid', 'api'])).trim().split('\n')).toEqual(list.map((p) => String(p.pid)));
    expect((await sup.ok(['id', 'api'])).trim()).toBe('[ 0, 1 ]');
    expect(await sup.ok(['env', '1'])).toMatch(/^NODE_APP_INSTANCE: 1$/m);
  });

  it('send writes a line to stdin; trigger calls a registered action and prints its reply', async ({ sup }) => {
    await sup.ok(['start', fixture('stdin-echo.js'), '--name', 'repl']);
    const [p] = await sup.waitForStatus('repl', 'online');
    await sup.ok(['send', 'repl', 'hello', 'there']);
    await waitForLogLine(sup, 'repl', /^stdin hello there$/);
    const triggered = await sup.ok(['trigger', 'repl', 'double', '21']);
    expect(triggered).toContain(`repl#0: {"doubled":42,"pid":${p!.pid}}`);
  });

  it('an unhandled rejection is logged with its stack and the app runs on (unhandled_rejections: log)', async ({ sup }) => {
    await sup.ok(['start', fixture('stdin-echo.js'), '--name', 'rej']);
    const [p] = await sup.waitForStatus('rej', 'online');
    await sup.ok(['send', 'rej', 'reject']);
    const [app] = await describeApp(sup, 'rej');
    await waitFor('the warning in the error log', () => {
      const text = execFileSync('cat', [app!.logs.err]).toString();
      return /nobody handles this/.test(text) && /at /.test(text) ? true : undefined;
    });
    expect(await sup.info('rej')).toMatchObject({ pid: p!.pid, status: 'online', restarts: 0 });
  });
});

describe('uid and gid', () => {
  it.skipIf(process.getuid?.() !== 0)(
    'runs an app as another user when sup runs as root (PM2 --uid/--gid, uid/gid keys)',
    async ({ sup }) => {
      await sup.ok(['start', fixture('forever.js'), '--name', 'low', '--uid', 'nobody', '--gid', 'nogroup']);
      const [p] = await sup.waitForStatus('low', 'online');
      const status = execFileSync('cat', [`/proc/${p!.pid}/status`]).toString();
      const nobody = execFileSync('id', ['-u', 'nobody']).toString().trim();
      expect(status).toMatch(new RegExp(`^Uid:\\s+${nobody}\\s`, 'm'));
      const unknown = await sup.run(['start', fixture('forever.js'), '--name', 'x', '--uid', 'no-such-user-here']);
      expect(unknown.code).not.toBe(0);
      expect(unknown.stderr).toMatch(/uid "no-such-user-here" is no user on this machine/);
    },
  );
});

describe('cluster reload of an app that never listens', () => {
  it('takes a replacement still running after listen_timeout, as PM2 does, when the old instance never listened either', async ({
    sup,
  }) => {
    await sup.ok(['start', fixture('forever.js'), '--name', 'consumer', '-i', '2', '--listen-timeout', '1s']);
    const before = await sup.waitForApp('consumer', '2 online', (ps) => ps.length === 2 && ps.every((p) => p.status === 'online'), 30_000);
    await sup.ok(['reload', 'consumer']);
    const after = await sup.waitForStatus('consumer', 'online');
    expect(after.every((p) => !before.some((b) => b.pid === p.pid))).toBe(true);
    expect(after.map((p) => p.restarts)).toEqual([1, 1]);
  });
});

describe('startup as PM2 takes it', () => {
  it('`sup startup systemd --hp <dir> --service-name <name>` prints a unit for that home; other platforms are named as not written', async ({
    sup,
  }) => {
    const unit = await sup.ok(['startup', 'systemd', '--hp', '/home/deploy', '--service-name', 'apps', '--user', 'deploy']);
    expect(unit).toContain('WorkingDirectory=/home/deploy\n');
    expect(unit).toContain('Environment=SUP_HOME=/home/deploy/.sup\n');
    const other = await sup.run(['startup', 'launchd']);
    expect(other.code).not.toBe(0);
    expect(other.stderr).toContain('sup writes systemd units only; "launchd"');
  });
});
