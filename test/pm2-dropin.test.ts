import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect } from 'vitest';
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
    // PM2's way to clear them again.
    await sup.ok(['restart', 'tuned', '--node-args=null']);
    const [cleared] = await describeApp(sup, 'tuned');
    expect(cleared!.config.interpreter_args).toEqual([]);
  });

  it('restart <file> applies the file as it is now', async ({ sup, dir }) => {
    const file = join(dir, 'eco.json');
    writeFileSync(file, JSON.stringify({ apps: [{ name: 'cfg', script: fixture('forever.js'), env: { STAGE: 'one' } }] }));
    await sup.ok(['start', file]);
    const other = { name: 'other', script: fixture('forever.js') };
    writeFileSync(file, JSON.stringify({ apps: [{ name: 'cfg', script: fixture('forever.js'), env: { STAGE: 'two' } }, other] }));
    await sup.ok(['restart', file]);
    const [app] = await describeApp(sup, 'cfg');
    expect(app!.config.env).toEqual({ STAGE: 'two' });
    // The file's new app started with the restart; --only picks which of the file's apps a delete takes.
    await sup.ok(['delete', file, '--only', 'other']);
    expect((await sup.list()).map((p) => p.name)).toEqual(['cfg']);
  });
});

describe('PM2 command lines, renames and stdin documents', () => {
  it('runs a command line that needs a shell under bash (named as PM2 names it); --name renames on restart, start and reload; delete - reads stdin', async ({
    sup,
    dir,
  }) => {
    const line = `echo "shell says $((6 * 7))"; exec node ${fixture('forever.js')}`;
    await sup.ok(['start', line], { cwd: dir });
    const [shell] = await describeApp(sup, 'forever');
    expect(shell!.config).toMatchObject({ script: expect.stringMatching(/\/(ba)?sh$/), args: ['-c', line, expect.any(String)] });
    await waitForLogLine(sup, 'forever', /^shell says 42$/);

    await sup.ok(['start', fixture('forever.js'), '--name', 'old']);
    await sup.waitForStatus('old', 'online');
    expect(await sup.ok(['restart', 'old', '--name', 'new'])).toMatch(/renamed old to new/);
    expect((await sup.list()).filter((p) => p.name === 'new').map((p) => p.restarts)).toEqual([1]);
    await sup.ok(['reload', 'new', '--name', 'newer']);
    // A number is a name too (PM2's --name 455); the restart that follows is of this app, not of id 0.
    await sup.ok(['start', '1', '--name', '0']);
    expect((await sup.list()).map((p) => [p.id, p.name, p.restarts])).toEqual([
      [0, 'forever', 0],
      [1, '0', 3],
    ]);
    const taken = await sup.run(['restart', '1', '--name', 'forever']);
    expect(taken.code).not.toBe(0);
    expect(taken.stderr).toMatch(/that name is taken/);
    const bad = await sup.run(['restart', '1', '--name', 'a b']);
    expect(bad.stderr).toMatch(/expected a name without spaces or slashes/);

    await sup.ok(['delete', '-'], { input: JSON.stringify({ apps: [{ name: '0', script: 'gone.js' }] }) });
    expect((await sup.list()).map((p) => p.name)).toEqual(['forever']);

    // A lone bare word that names no app is a program on PATH (`pm2 start redis-server`); named, it is the app.
    mkdirSync(join(dir, 'bin'));
    writeFileSync(join(dir, 'bin', 'sup-test-server'), '#!/bin/sh\nexec sleep 1000\n', { mode: 0o755 });
    const path = { PATH: `${join(dir, 'bin')}:${process.env.PATH}` };
    await sup.ok(['start', 'sup-test-server'], { env: path });
    await sup.waitForStatus('sup-test-server', 'online');
    await sup.ok(['start', 'sup-test-server'], { env: path });
    expect(await sup.info('sup-test-server')).toMatchObject({ status: 'online', restarts: 1 });
  });

  it("keeps the name of an app others depend on, and a renamed app's log files follow its name", async ({ sup, dir }) => {
    const file = join(dir, 'eco.json');
    const apps = [
      { name: 'db', script: fixture('forever.js') },
      { name: 'api', script: fixture('stdin-echo.js'), depends_on: ['db'] },
    ];
    writeFileSync(file, JSON.stringify({ apps }));
    await sup.ok(['start', file]);
    await sup.waitForStatus('api', 'online');
    const refused = await sup.run(['restart', 'db', '--name', 'database']);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/cannot rename db: api depends on it by name/);
    await sup.ok(['restart', 'api', '--name', 'gateway']);
    const [gateway] = await describeApp(sup, 'gateway');
    expect(gateway!.logs.out).toMatch(/gateway-out\.log$/);
    await sup.ok(['send', 'gateway', 'after the rename']);
    await waitForLogLine(sup, 'gateway', /^stdin after the rename$/);
  });
});
