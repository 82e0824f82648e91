import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect } from 'vitest';
import { freePorts, waitForHttp } from './harness/http.js';
import { fixture, SUP_BIN } from './harness/paths.js';
import { cmdline, isAlive, killQuietly, pidsWithSupHome, zombiesOf } from './harness/proc.js';
import type { SupHome } from './harness/sup-home.js';
import { waitFor } from './harness/wait.js';
import { writeEcosystem } from './helpers/apps.js';
import { it } from './helpers/sup-test.js';

const RUNTIME = join(SUP_BIN, '../sup-runtime');

interface Foreground {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function runForeground(command: string[], home: SupHome): Foreground {
  const child = spawn(command[0]!, command.slice(1), { env: home.env(), stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  child.stdout!.on('data', (d) => (text += d));
  child.stderr!.on('data', (d) => (text += d));
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  return { child, output: () => text, exited };
}

describe('sup run (containers)', () => {
  let fg: Foreground | undefined;
  // The foreground run and its apps end here, by pid, before the home's cleanup (no background daemon to ask).
  it.afterEach(({ sup }) => {
    if (fg?.child.pid && fg.child.exitCode === null) killQuietly(fg.child.pid);
    fg = undefined;
    pidsWithSupHome((h) => h === sup.home).forEach((pid) => killQuietly(pid));
  });

  it('`sup start --no-daemon` (PM2) runs in the foreground as `sup run` does, and exits 0 on SIGTERM', async ({ sup }) => {
    fg = runForeground([process.execPath, SUP_BIN, 'start', fixture('log-ticker.js'), '--name', 'tick', '--no-daemon'], sup);
    await waitFor(
      'a prefixed line of tick',
      () => /^\d+\|tick \| /m.test(fg!.output()),
      30_000,
      () => fg!.output(),
    );
    fg.child.kill('SIGTERM');
    expect(await fg.exited).toBe(0);
  });

  it('runs the apps in the foreground with prefixed output, answers sup list, and exits 0 after a graceful stop on SIGTERM', async ({
    sup,
    dir,
  }) => {
    const port = await freePorts();
    const file = writeEcosystem(dir, [
      { name: 'web', script: fixture('http.js'), instances: 2, exec_mode: 'cluster', env: { PORT: String(port) } },
      { name: 'tick', script: fixture('log-ticker.js') },
    ]);
    fg = runForeground([process.execPath, SUP_BIN, 'run', file], sup);
    await waitFor(
      'a prefixed line of tick',
      () => /^\d+\|tick \| /m.test(fg!.output()),
      30_000,
      () => fg!.output(),
    );
    expect((await waitForHttp(port)).status).toBe(200);
    const listed = JSON.parse(await sup.ok(['list', '--json'])) as { name: string; pid: number }[];
    expect(listed.map((p) => p.name).sort()).toEqual(['tick', 'web', 'web']);
    // No daemon in the background, and no state: the apps end with this process (its keeper goes with it).
    expect(existsSync(join(sup.home, 'state.json'))).toBe(false);

    fg.child.kill('SIGTERM');
    expect(await fg.exited).toBe(0);
    expect(fg.output()).toMatch(/sup \| stopped 3 instance\(s\)/);
    expect(listed.every((p) => !isAlive(p.pid))).toBe(true);
  });

  it('exits non-zero when an app failed (crashed until errored)', async ({ sup, dir }) => {
    const file = writeEcosystem(dir, [{ name: 'bad', script: fixture('crash.js'), max_restarts: 1, restart_delay: 0, min_uptime: 5000 }]);
    fg = runForeground([process.execPath, SUP_BIN, 'run', file], sup);
    expect(await fg.exited).toBe(1);
    expect(fg.output()).toMatch(/\d+\|bad \| crash \d+ starting/);
  });

  const canUnshare = process.getuid?.() === 0 && spawnSync('unshare', ['--pid', '--fork', '--mount-proc', 'true']).status === 0;

  it.skipIf(!canUnshare)('sup-runtime as PID 1 reaps orphaned zombies and forwards SIGTERM', async ({ sup }) => {
    fg = runForeground(['unshare', '--pid', '--fork', '--kill-child', '--mount-proc', RUNTIME, fixture('orphan-maker.js')], sup);
    await waitFor(
      'the orphans to be made',
      () => fg!.output().includes('orphans made'),
      10_000,
      () => fg!.output(),
    );
    // The runtime shell (PID 1 inside) is the parent the orphans get; none of its children may stay a zombie.
    const shell = await waitFor('the runtime shell', () =>
      pidsWithSupHome((h) => h === sup.home).find((pid) => cmdline(pid).split(' ')[1]?.endsWith('sup-runtime')),
    );
    const zombies = () => zombiesOf(new Set([shell]));
    await waitFor('no zombie under the runtime', () => zombies().length === 0, 5000, zombies);
    // unshare passes no signal on: the orchestrator's SIGTERM goes to PID 1, the runtime shell.
    killQuietly(shell, 'SIGTERM');
    expect(await fg.exited).toBe(0);
  });
});

describe('sup startup', () => {
  it('writes a unit that systemd-analyze accepts, and unstartup removes it', async ({ sup, dir }) => {
    const printed = await sup.ok(['startup', '--unit-dir', dir]);
    expect(printed).toContain(`Environment=SUP_HOME=${sup.home}`);
    expect(printed).toMatch(/ExecStart=\S+node \S+dist\/bin\/sup-keeper\.cjs\n/);
    expect(printed).toMatch(/ExecStop=\S+node \S+bin\/sup\.cjs kill\n/);
    expect(printed).toContain('startup --install --user');
    const user = (await sup.ok(['startup', '--unit-dir', dir, '--install'])).match(/wrote .*sup-(.+)\.service/)![1]!;
    const unit = join(dir, `sup-${user}.service`);
    expect(readFileSync(unit, 'utf8')).toBe(printed.slice(0, printed.indexOf('# To install')).replace(/\n$/, ''));
    const verify = spawnSync('systemd-analyze', ['verify', unit], { encoding: 'utf8' });
    if (!verify.error) expect(verify.stderr + verify.stdout).toBe('');
    expect(await sup.ok(['unstartup', '--unit-dir', dir])).toContain(`removed ${unit}`);
    expect(existsSync(unit)).toBe(false);
  });
});
