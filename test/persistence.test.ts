import { copyFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect } from 'vitest';
import type { ProcessInfo } from '../src/protocol/messages.js';
import { freePorts, get } from './harness/http.js';
import { fixture } from './harness/paths.js';
import { isAlive, killQuietly } from './harness/proc.js';
import { waitFor } from './harness/wait.js';
import { writeEcosystem } from './helpers/apps.js';
import { it } from './helpers/sup-test.js';

/** A bound on the daemon's replacement that only a stall breaks, even on a loaded machine. */
const BACK_WITHIN_MS = 20_000;

/** What identifies the list, not the processes: names, ids, instance numbers, restart counters, wanted state. */
const identity = (ps: ProcessInfo[]) =>
  ps.map((p) => ({ id: p.id, name: p.name, instance: p.instance, restarts: p.restarts, stopped: p.status === 'stopped' }));

describe('persistence: a daemon killed with -9', () => {
  it('is replaced by the keeper, and the new daemon takes every app over as it runs: same pids, ids and counters', async ({ sup, dir }) => {
    const [webPort, apiPort] = [await freePorts(), await freePorts()];
    const file = writeEcosystem(dir, [
      { name: 'web', script: fixture('http.js'), instances: 2, exec_mode: 'cluster', env: { PORT: String(webPort) } },
      { name: 'api', script: fixture('http.js'), env: { PORT: String(apiPort) } },
      { name: 'stubborn', script: fixture('ignore-term.js'), kill_timeout: 1000 },
      { name: 'idle', script: fixture('forever.js') },
    ]);
    await sup.ok(['start', file]);
    await sup.ok(['restart', 'api']);
    await sup.ok(['stop', 'idle']);
    await sup.waitForApp('web', 'online', (ps) => ps.every((p) => p.status === 'online'));
    await sup.waitForStatus('api', 'online');
    await get(webPort);
    const before = await sup.listFresh();
    const daemon = sup.daemonPid()!;

    const killedAt = Date.now();
    killQuietly(daemon, 'SIGKILL');
    let seen: unknown;
    const after = await waitFor(
      'a new daemon with every app',
      async () => {
        if (sup.daemonPid() === daemon) return undefined;
        const ps = (seen = await sup.listFresh());
        return ps.length === before.length && ps;
      },
      BACK_WITHIN_MS,
      () => seen,
    );
    console.log(`daemon killed with -9 → a new daemon holding every app after ${Date.now() - killedAt} ms`);
    expect(identity(after)).toEqual(identity(before));
    expect(after.map((p) => p.pid)).toEqual(before.map((p) => p.pid));
    expect((await get(webPort)).status).toBe(200);
    expect(readFileSync(join(sup.home, 'daemon.log'), 'utf8')).toMatch(
      /restored 4 app\(s\), 5 instance\(s\) \(4 still running, taken over\), left by daemon \d+/,
    );
  });

  it('comes back with the next command when the keeper died too, from the backup if the state file is corrupt', async ({ sup }) => {
    await sup.ok(['start', fixture('forever.js'), '--name', 'keep', '-i', '2']);
    await sup.ok(['restart', 'keep']);
    await sup.waitForStatus('keep', 'online');
    // One more change, so that the backup (the state before the last write) also holds both instances online.
    await sup.ok(['start', fixture('forever.js'), '--name', 'second']);
    await sup.waitForStatus('second', 'online');
    await sup.ok(['reset', 'second']);
    await waitFor('the state file to list both apps', () => readFileSync(join(sup.home, 'state.json.bak'), 'utf8').includes('"second"'));
    const before = identity((await sup.listFresh()).filter((p) => p.name === 'keep'));
    const oldPids = (await sup.listFresh()).map((p) => p.pid!);
    // The keeper frozen first, so that it starts no daemon, then both killed: the apps are orphaned.
    const keeper = sup.keeperPid()!;
    process.kill(keeper, 'SIGSTOP');
    killQuietly(sup.daemonPid()!, 'SIGKILL');
    killQuietly(keeper, 'SIGKILL');
    writeFileSync(join(sup.home, 'state.json'), '{"format":1,"apps":[');

    const listed = await sup.ok(['list', '--json']);
    const ps = JSON.parse(listed) as ProcessInfo[];
    expect(identity(ps.filter((p) => p.name === 'keep'))).toEqual(before);
    await waitFor('the apps online again', async () => (await sup.listFresh()).every((p) => p.status === 'online'));
    await waitFor('the old processes to be gone', () => oldPids.every((pid) => !isAlive(pid)), 15_000);
    const log = readFileSync(join(sup.home, 'daemon.log'), 'utf8');
    expect(log).toMatch(/state\.json is unusable \(.*\); using the backup .*state\.json\.bak/);
    expect(log.match(/using the backup/g)).toHaveLength(1);
  });
});

describe('persistence: save and resurrect', () => {
  it('brings back an app whose script is gone since the save as errored, saying why, instead of crash-looping', async ({ sup, dir }) => {
    const doomed = join(dir, 'doomed.js');
    copyFileSync(fixture('forever.js'), doomed);
    await sup.ok(['start', doomed, '--name', 'doomed']);
    await sup.ok(['save']);
    await sup.ok(['delete', 'doomed']);
    rmSync(doomed);
    await sup.ok(['resurrect']);
    expect((await sup.listFresh()).find((p) => p.name === 'doomed')).toMatchObject({
      status: 'errored',
      restarts: 0,
      status_reason: expect.stringMatching(/^not restored: .*script not found/),
    });
  });

  // A dozen CLI runs and a daemon restart: on a loaded machine that takes longer than most tests.
  it('round-trips the list, stopped apps stay stopped, an empty save needs --force, a corrupt dump falls back to its backup', {
    timeout: 120_000,
  }, async ({ sup }) => {
    await sup.ok(['start', fixture('forever.js'), '--name', 'a', '-i', '2']);
    await sup.ok(['start', fixture('forever.js'), '--name', 'b']);
    await sup.ok(['stop', 'b']);
    await sup.ok(['restart', 'a']);
    expect(await sup.ok(['save'])).toMatch(/^saved 2 apps \(3 instances\) to .*dump\.json/);
    const saved = identity(await sup.listFresh());
    await sup.ok(['dump']); // PM2's name; a second save keeps the first as the backup
    await sup.ok(['kill']);

    expect(await sup.ok(['resurrect'])).toMatch(/^resurrected a#\d+, a#\d+, b#\d+/);
    expect(identity(await sup.listFresh())).toEqual(saved);
    await sup.waitForStatus('a', 'online');
    expect((await sup.info('b')).status).toBe('stopped');
    const again = await sup.run(['resurrect']);
    expect(again.stderr).toContain('already managed, left as they are: a, b');

    await sup.ok(['delete', 'all']);
    const empty = await sup.run(['save']);
    expect(empty.code).toBe(1);
    expect(empty.stderr).toContain('saving would empty the saved list of 2 app(s)');
    writeFileSync(join(sup.home, 'dump.json'), 'not json');
    const fallback = await sup.run(['resurrect']);
    expect(fallback.code).toBe(0);
    expect(fallback.stderr).toMatch(/dump\.json is unusable \(not JSON.*\); using the backup/);
    expect(identity(await sup.listFresh())).toEqual(saved);
  });

  it('sup update hands the apps over to a new daemon as they run: same ids, counters and pids; a stopped one stays stopped', async ({
    sup,
  }) => {
    await sup.ok(['start', fixture('forever.js'), '--name', 'u', '-i', '2']);
    await sup.ok(['restart', 'u']);
    await sup.ok(['stop', '1']);
    const before = await sup.listFresh();
    const out = await sup.ok(['update']);
    expect(out).toMatch(/daemon \d+ \(sup [\d.]+\) handed over to daemon \d+/);
    const after = await sup.listFresh();
    expect(out).toMatch(/kept running/);
    expect(identity(after)).toEqual(identity(before));
    expect(after.map((p) => p.pid)).toEqual(before.map((p) => p.pid));
    expect(after.find((p) => p.id === 1)!.status).toBe('stopped');
  });
});
