import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect } from 'vitest';
import { typeScriptSupport } from '../src/config/app-runner.js';
import { get, freePorts } from './harness/http.js';
import { fixture, REPO } from './harness/paths.js';
import { waitFor } from './harness/wait.js';
import { describeApp, waitForLogLine } from './helpers/apps.js';
import { it } from './helpers/sup-test.js';

describe('pm2 start flags reach the app config', () => {
  it('takes PM2 spellings: -x, -k, --time, --log-date-format, -l, --wait-ready, --listen-timeout, --stop-exit-codes, --no-treekill, --no-autostart, --watch-delay in seconds, --ext', async ({
    sup,
    dir,
  }) => {
    const flags = [
      ['--name', 'flags', '-x', '-k', '3s', '--time', '--log-date-format', 'YYYY', '-l', join(dir, 'all.log')],
      ['--wait-ready', '--listen-timeout', '9s', '--stop-exit-codes', '0', '3', '--no-treekill', '--no-autostart'],
      ['--watch', '--watch-delay', '2', '--ext', 'js,json', '--log-type', 'json', '--shutdown-with-message', '--health-check', '/health'],
    ].flat();
    expect(await sup.ok(['start', fixture('forever.js'), ...flags])).toMatch(/added flags stopped/);
    const [app] = await describeApp(sup, 'flags');
    expect(app!.config).toMatchObject({
      exec_mode: 'fork',
      kill_timeout: 3000,
      time: true,
      log_date_format: 'YYYY',
      log_file: join(dir, 'all.log'),
      wait_ready: true,
      listen_timeout: 9000,
      stop_exit_codes: [0, 3],
      treekill: false,
      autostart: false,
      watch_delay: 2000,
      watch: [join(REPO, '**/*.{js,json}')],
      log_type: 'json',
      shutdown_with_message: true,
    });
    expect(app!.config.health_check).toMatchObject({ http: '/health' });
  });

  it('warns about PM2 Plus flags instead of refusing them, and -s keeps stdout quiet', async ({ sup }) => {
    const run = await sup.run(['start', fixture('forever.js'), '--name', 'q', '--no-vizion', '--no-pmx', '--v8', '-s']);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/--no-vizion is a PM2 flag sup ignores/);
    expect(run.stderr).toMatch(/--v8 is a PM2 flag sup ignores/);
  });

  it('-i 2 with a program that is not Node: the same fork-mode answer, with the same warning, as exec_mode cluster in a file', async ({
    sup,
    dir,
  }) => {
    const script = join(dir, 'loop.sh');
    writeFileSync(script, 'while true; do sleep 1; done\n');
    const run = await sup.run(['start', script, '--name', 'sh', '-i', '2']);
    expect(run.stderr).toMatch(/runs in fork mode, 2 copies/);
    const file = join(dir, 'eco.json');
    writeFileSync(file, JSON.stringify({ apps: [{ name: 'sh2', script, exec_mode: 'cluster', instances: 2 }] }));
    const fromFile = await sup.run(['start', file]);
    expect(fromFile.stderr).toMatch(/runs in fork mode, 2 copies/);
    expect((await sup.list()).filter((p) => p.mode === 'fork')).toHaveLength(4);
  });
});

describe('targets and starts as PM2 takes them', () => {
  it('starts several scripts at once, and acts on a /regex/, a namespace and a script file name', async ({ sup }) => {
    await sup.ok(['start', fixture('forever.js'), fixture('log-echo.js'), '--namespace', 'jobs']);
    await sup.waitForStatus('forever', 'online');
    await sup.waitForStatus('log-echo', 'online');
    await sup.ok(['stop', '/^for/']);
    expect(await sup.info('forever')).toMatchObject({ status: 'stopped' });
    expect(await sup.info('log-echo')).toMatchObject({ status: 'online' });
    await sup.ok(['restart', 'log-echo.js']);
    expect(await sup.info('log-echo')).toMatchObject({ restarts: 1 });
    await sup.ok(['stop', 'jobs']);
    expect((await sup.list()).map((p) => p.status)).toEqual(['stopped', 'stopped']);
    const none = await sup.run(['stop', '/nothing/']);
    expect(none.code).not.toBe(0);
    expect(none.stderr).toMatch(/no app name matches \/nothing\//);
  });

  it('takes a numeric name, and ids start from 0 again once every app is deleted', async ({ sup }) => {
    await sup.ok(['start', fixture('forever.js'), '--name', '455']);
    await sup.ok(['start', fixture('forever.js'), '--name', 'b']);
    expect((await sup.list()).map((p) => [p.id, p.name])).toEqual([
      [0, '455'],
      [1, 'b'],
    ]);
    await sup.ok(['delete', 'all']);
    await sup.ok(['start', fixture('forever.js'), '--name', 'c']);
    expect((await sup.list()).map((p) => p.id)).toEqual([0]);
  });

  it('restart applies start flags to a running app: --node-args, --cron-restart', async ({ sup }) => {
    await sup.ok(['start', fixture('forever.js'), '--name', 'tuned']);
    await sup.waitForStatus('tuned', 'online');
    await sup.ok(['restart', 'tuned', '--node-args=--max-old-space-size=96', '--cron-restart', '0 3 * * *']);
    const [app] = await describeApp(sup, 'tuned');
    expect(app!.config).toMatchObject({ interpreter_args: ['--max-old-space-size=96'], cron_restart: '0 3 * * *' });
    expect(app!.restarts).toBe(1);
    const cmdline = await waitFor('the new process', () => {
      const [p] = [app!];
      return p.pid
        ? execFileSync('cat', [`/proc/${p.pid}/cmdline`])
            .toString()
            .split('\0')
        : undefined;
    });
    expect(cmdline).toContain('--max-old-space-size=96');
  });

  it('restart <file> applies the file as it is now', async ({ sup, dir }) => {
    const file = join(dir, 'eco.json');
    writeFileSync(file, JSON.stringify({ apps: [{ name: 'cfg', script: fixture('forever.js'), env: { STAGE: 'one' } }] }));
    await sup.ok(['start', file]);
    writeFileSync(file, JSON.stringify({ apps: [{ name: 'cfg', script: fixture('forever.js'), env: { STAGE: 'two' } }] }));
    await sup.ok(['restart', file]);
    const [app] = await describeApp(sup, 'cfg');
    expect(app!.config.env).toEqual({ STAGE: 'two' });
  });
});

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
    const missing = await sup.run(['trigger', 'repl', 'nope'], { timeoutMs: 30_000 });
    expect(missing.code).not.toBe(0);
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

describe('TypeScript apps', () => {
  const support = typeScriptSupport();
  it(`runs server.ts in fork and cluster mode, reload included (${support === 'none' ? "the project's tsx" : "Node's type stripping"})`, async ({
    sup,
  }) => {
    const port = await freePorts(1);
    await sup.ok(['start', join(REPO, 'test/fixtures/ts/server.ts'), '--name', 'ts', '-i', '2'], { env: { PORT: String(port) } });
    const before = await sup.waitForStatus('ts', 'online');
    expect(before.map((p) => p.mode)).toEqual(['cluster', 'cluster']);
    const answer = await waitFor('an answer', async () => (await get(port).catch(() => undefined))?.body);
    expect(JSON.parse(answer)).toHaveProperty('pid');
    await sup.ok(['reload', 'ts']);
    const after = await sup.waitForStatus('ts', 'online');
    expect(after.every((p) => !before.some((b) => b.pid === p.pid))).toBe(true);
    await sup.ok(['start', join(REPO, 'test/fixtures/ts/server.ts'), '--name', 'ts-fork', '-x'], { env: { PORT: '0' } });
    await sup.waitForStatus('ts-fork', 'online');
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
