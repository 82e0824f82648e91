import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect } from 'vitest';
import { fixture, SUP_BIN } from './harness/paths.js';
import { isAlive, killQuietly, pidsWithSupHome } from './harness/proc.js';
import { waitFor } from './harness/wait.js';
import { waitForLogLine } from './helpers/apps.js';
import { it } from './helpers/sup-test.js';

const PONG = /^pong: daemon pid (\d+),/;

function pongPid(stdout: string): number {
  const match = PONG.exec(stdout);
  if (!match) throw new Error(`not a pong: ${stdout}`);
  return Number(match[1]);
}

describe('daemon', () => {
  // The home's cleanup ends, by pid, whatever still runs with this SUP_HOME (apps orphaned by a killed daemon
  // included), and leaves alone a pid in daemon.pid that another process has taken since.

  it('starts exactly one daemon when several CLIs race to start it', async ({ sup }) => {
    const results = await Promise.all(Array.from({ length: 4 }, () => sup.run(['ping'])));
    for (const r of results) expect(r, JSON.stringify(r)).toMatchObject({ code: 0, stderr: '' });
    const pids = new Set(results.map((r) => pongPid(r.stdout)));
    expect(pids.size).toBe(1);
    const [daemon] = pids;
    expect(sup.daemonPid()).toBe(daemon);

    // The daemons that lost the race exit on their own; only the winner is left with this SUP_HOME.
    let left: number[] = [];
    await waitFor(
      'only the winning daemon left',
      () => {
        left = sup.processes();
        return left.length === 1 && left[0] === daemon;
      },
      5000,
      () => ({ daemon, left }),
    );
  });

  it('starts its keeper by itself after a first command that needs none (ping); a command on apps then runs', async ({ sup }) => {
    await sup.ok(['ping']);
    const keeper = await waitFor('the keeper, started by itself', () => sup.keeperPid(), 10_000);
    expect(isAlive(keeper)).toBe(true);
    // A request that acts on apps is served once the keeper is up (started for it when the daemon is new).
    await sup.ok(['start', fixture('forever.js'), '--name', 'web']);
    await sup.waitForStatus('web', 'online');
  });

  // Guards the EADDRINUSE path of binding: ws re-emits the http server's errors, which once crashed the new daemon.
  it('notices a stale socket left by a dead daemon, says so on one line, and starts a new one', async ({ sup }) => {
    await sup.ok(['start', fixture('forever.js'), '--name', 'web']);
    const [web] = await sup.waitForStatus('web', 'online');
    const old = sup.daemonPid()!;

    // A daemon killed outright (its keeper frozen first, so that nothing starts it again, then killed too) leaves its
    // socket and pid file behind, and its apps orphaned.
    const keeper = await waitFor('the keeper', () => sup.keeperPid());
    process.kill(keeper, 'SIGSTOP');
    process.kill(old, 'SIGKILL');
    process.kill(keeper, 'SIGKILL');
    killQuietly(web!.pid!);
    await waitFor('the daemon and its app to die', () => !isAlive(old) && !isAlive(web!.pid!), 15_000);
    expect(existsSync(sup.socket)).toBe(true);

    const result = await sup.run(['ping']);
    expect(result.code, result.stderr).toBe(0);
    const notice = result.stderr.trimEnd().split('\n');
    expect(notice).toHaveLength(1);
    expect(notice[0]).toMatch(/stale socket/);
    const fresh = pongPid(result.stdout);
    expect(fresh).not.toBe(old);
    expect(sup.daemonPid()).toBe(fresh);
    expect(await sup.run(['ping'])).toMatchObject({ code: 0, stderr: '' });
  });

  it('lets a second daemon on the same home exit quietly, leaving the first one in charge', async ({ sup }) => {
    const first = pongPid(await sup.ok(['ping']));
    // Through the daemon's old entry, a shim now (scripts/bundle.js): a keeper from before an update names it.
    const second = spawnSync(process.execPath, [join(dirname(SUP_BIN), '../dist/bin/sup-daemon.js')], {
      env: sup.env(),
      encoding: 'utf8',
      timeout: 10_000,
    });
    expect(second.stdout).toMatch(/another daemon already answers/);
    expect(second.stderr).toBe('');
    expect(second.status).toBe(0);
    expect(pongPid(await sup.ok(['ping']))).toBe(first);
  });

  it.for(['SIGTERM', 'SIGINT'] as const)(
    'stops every app gracefully and in parallel on %s, then exits and removes its socket',
    async (signal, { sup, dir }) => {
      const marker = join(dir, 'sigterms');
      const env = { MARKER_FILE: marker, GRACE_MS: '3000' };
      for (const name of ['one', 'two']) {
        await sup.ok(['start', fixture('graceful.js'), '--name', name, '--kill-timeout', '10s'], { env });
        await waitForLogLine(sup, name, /ready/);
      }
      const apps = await sup.list();
      const daemon = sup.daemonPid()!;

      process.kill(daemon, signal);
      await waitFor('the daemon to exit', () => !isAlive(daemon), 10_000);
      for (const app of apps) expect(isAlive(app.pid!), `${app.name} pid ${app.pid}`).toBe(false);
      expect(existsSync(sup.socket)).toBe(false);
      expect(sup.daemonPid()).toBeUndefined();

      // Both got SIGTERM (the first time each is what counts); in sequence the second would get it only after the
      // first's 3 s shutdown (long enough that a loaded machine's scheduling delays cannot blur the two).
      const firstSigterm = new Map<string, number>();
      for (const line of readFileSync(marker, 'utf8').trim().split('\n')) {
        const [name, at] = line.split(' ');
        if (!firstSigterm.has(name!)) firstSigterm.set(name!, Number(at));
      }
      expect([...firstSigterm.keys()].sort()).toEqual(['one', 'two']);
      expect(Math.abs(firstSigterm.get('one')! - firstSigterm.get('two')!)).toBeLessThan(2500);
      const left = () => pidsWithSupHome((home) => home === sup.home);
      await waitFor('nothing of this home left (the guardian goes with its daemon)', () => left().length === 0, 5000, left);
    },
  );

  it('`sup kill` stops every app and the daemon, and says how many instances it stopped', async ({ sup }) => {
    await sup.ok(['start', fixture('forever.js'), '--name', 'a']);
    await sup.ok(['start', fixture('forever.js'), '--name', 'b']);
    await sup.waitForStatus('a', 'online');
    await sup.waitForStatus('b', 'online');
    const all = await sup.list();
    const daemon = sup.daemonPid()!;

    const out = await sup.ok(['kill']);
    expect(out).toContain(`stopped 2 instances and the daemon (pid ${daemon})`);
    await waitFor('the daemon to exit', () => !isAlive(daemon), 15_000);
    for (const app of all) expect(isAlive(app.pid!)).toBe(false);
    expect(existsSync(sup.socket)).toBe(false);
  });
});
