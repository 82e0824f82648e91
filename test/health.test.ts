import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect } from 'vitest';
import type { ProcessInfo, SupEvent } from '../src/protocol/messages.js';
import { freePorts, get, waitForHttp } from './harness/http.js';
import { startLoad } from './harness/load.js';
import { fixture } from './harness/paths.js';
import { isAlive } from './harness/proc.js';
import { waitFor } from './harness/wait.js';
import { describeApp, writeEcosystem } from './helpers/apps.js';
import { it } from './helpers/sup-test.js';

const pidsOf = (ps: ProcessInfo[]) => ps.map((p) => p.pid!).sort((a, b) => a - b);

describe('health checks', () => {
  it('restarts an app whose health endpoint fails `retries` times, with the reason, and shows health', async ({ sup, dir }) => {
    const port = await freePorts();
    const sick = join(dir, 'sick');
    const check = { http: '/health', interval: '300ms', timeout: '500ms', retries: 2 };
    const file = writeEcosystem(dir, [
      { name: 'api', script: fixture('health-app.js'), health_check: check, env: { PORT: port, UNHEALTHY_FILE: sick } },
    ]);
    await sup.ok(['start', file]);
    const [first] = await sup.waitForApp('api', 'healthy', (ps) => ps.every((p) => p.health?.status === 'healthy'));
    expect(first!.status).toBe('online');
    expect(await sup.ok(['list'])).toMatch(/healthy \d+ms/);

    const events: SupEvent[] = [];
    await (await sup.client()).subscribe(['process'], (e: SupEvent) => e.type === 'health' && events.push(e));
    writeFileSync(sick, '');
    const sickAt = Date.now();
    const [restarted] = await sup.waitForApp('api', 'a restart for its health', (ps) =>
      ps.every((p) => p.restart_reason?.includes('health') === true),
    );
    rmSync(sick);
    // interval × retries + timeout, and the restart itself, with room for a loaded machine.
    const budget = 300 * 2 + 500 + 1600;
    const failingToRestart = Date.now() - sickAt;
    console.log(`health: failing endpoint to restart in ${failingToRestart} ms (interval 300 ms × retries 2, timeout 500 ms)`);
    expect(failingToRestart).toBeLessThan(budget + 5000);
    expect(restarted!.restart_reason).toMatch(/^unhealthy: health check \(http \/health\) failed 2 times in a row: HTTP 500$/);
    expect(events).toContainEqual(expect.objectContaining({ type: 'health', name: 'api', status: 'unhealthy' }));

    const [back] = await sup.waitForApp('api', 'healthy again', (ps) =>
      ps.every((p) => p.status === 'online' && p.health?.status === 'healthy'),
    );
    expect(back!.pid).not.toBe(first!.pid);
    const [described] = await describeApp(sup, 'api');
    expect(described!.exits.at(-1)?.reason).toBe('stopped by sup');
    expect(await sup.ok(['describe', 'api'])).toMatch(/health check\s+http \/health every 300 ms/);
  });

  it('counts an instance online only once its check passes', async ({ sup, dir }) => {
    const port = await freePorts();
    const file = writeEcosystem(dir, [
      {
        name: 'slow',
        script: fixture('health-app.js'),
        health_check: { http: '/health', interval: '200ms', retries: 50 },
        listen_timeout: '20s',
        env: { PORT: port, LISTEN_DELAY_MS: 1500 },
      },
    ]);
    const started = Date.now();
    await sup.ok(['start', file]);
    // `sup start` returns once the instance is settled: online means the check passed, so the port answers.
    expect(Date.now() - started).toBeGreaterThanOrEqual(1500);
    const [p] = await sup.list();
    expect(p).toMatchObject({ status: 'online', health: { status: 'healthy' } });
    await waitForHttp(port, 2000);
  });

  it('reloads a cluster app one healthy instance at a time without failing a request, and keeps the old ones when a replacement never gets healthy', async ({
    sup,
    dir,
  }) => {
    const port = await freePorts();
    const broken = join(dir, 'broken');
    const file = writeEcosystem(dir, [
      {
        name: 'web',
        script: fixture('health-app.js'),
        instances: 2,
        exec_mode: 'cluster',
        health_check: { http: '/health', interval: '200ms', retries: 3 },
        listen_timeout: '3s',
        env: { PORT: port, BROKEN_FILE: broken, LISTEN_DELAY_MS: 300 },
      },
    ]);
    await sup.ok(['start', file]);
    const old = await sup.waitForStatus('web', 'online');
    await waitForHttp(port);

    const load = startLoad(port, { clients: 4, pauseMs: 5, maxMs: 60_000 });
    await sup.ok(['reload', 'web']);
    const result = await load.stop();
    expect(result.failed, JSON.stringify(result.samples)).toBe(0);
    expect(result.ok).toBeGreaterThan(0);
    const fresh = await sup.waitForStatus('web', 'online');
    expect(pidsOf(fresh).filter((pid) => pidsOf(old).includes(pid))).toEqual([]);
    expect(fresh.every((p) => p.health?.status === 'healthy')).toBe(true);

    writeFileSync(broken, '');
    const failed = await sup.run(['reload', 'web']);
    expect(failed.code).not.toBe(0);
    expect(failed.stderr).toContain('did not pass its health check within listen_timeout (3000 ms)');
    expect(failed.stderr).toContain('keeps serving');
    const after = await sup.list();
    expect(pidsOf(after)).toEqual(pidsOf(fresh));
    expect(after.every((p) => p.status === 'online')).toBe(true);
    await waitForHttp(port, 2000);
  });

  it('refuses a malformed check, naming the app, the key and the value', async ({ sup, dir }) => {
    for (const [check, expected] of [
      [{ http: 'localhost:3000/health' }, 'got {"http":"localhost:3000/health"}'],
      ['localhost:3000/health', 'got "localhost:3000/health"'],
      [{ grpc: 'x' }, 'got {"grpc":"x"}'],
      [{ http: '/h', interval: '-1s' }, '"interval":"-1s"'],
    ] as const) {
      const file = writeEcosystem(dir, [{ name: 'bad', script: fixture('forever.js'), health_check: check }]);
      const r = await sup.run(['start', file]);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain('"bad"');
      expect(r.stderr).toContain('health_check');
      expect(r.stderr).toContain(expected);
    }
    expect(existsSync(join(sup.home, 'daemon.pid'))).toBe(false);
  });
});

describe('watchdog', () => {
  it('restarts a Node app whose event loop stays blocked, with its stack in the error log', async ({ sup, dir }) => {
    const hang = join(dir, 'hang');
    const file = writeEcosystem(dir, [
      { name: 'busy', script: fixture('health-app.js'), watchdog: '1s', env: { PORT: await freePorts(), HANG_FILE: hang } },
    ]);
    await sup.ok(['start', file]);
    const [before] = await sup.waitForStatus('busy', 'online');
    const client = await sup.client();
    await client.subscribe(['process'], (e: SupEvent) => e.type === 'health' && rmSync(hang, { force: true }));
    writeFileSync(hang, String(before!.pid));
    const hungAt = Date.now();
    const [after] = await sup.waitForApp('busy', 'restarted by the watchdog', (ps) =>
      ps.every((p) => p.restart_reason?.startsWith('watchdog:') === true && p.status === 'online' && p.pid !== before!.pid),
    );
    // The watchdog's 1 s, then the stop (SIGTERM cannot run in a blocked loop: SIGKILL after kill_timeout).
    const hangToOnline = Date.now() - hungAt;
    console.log(`watchdog: hang to a new process online in ${hangToOnline} ms (watchdog 1000 ms, kill_timeout 1600 ms)`);
    expect(hangToOnline).toBeLessThan(1000 + 1600 + 5000);
    expect(after!.restart_reason).toMatch(/^watchdog: event loop blocked for \d+ ms \(watchdog 1000 ms\); stack in the error log$/);
    const [described] = await describeApp(sup, 'busy');
    const errLog = readFileSync(described!.logs.err, 'utf8');
    expect(errLog).toContain('sup watchdog: the event loop has been blocked for');
    expect(errLog).toMatch(/at spinForever \(.*health-app\.js:\d+:\d+\)/);
  });

  it('reloads only the hung worker of a cluster app', async ({ sup, dir }) => {
    const hang = join(dir, 'hang');
    const port = await freePorts();
    const file = writeEcosystem(dir, [
      {
        name: 'web',
        script: fixture('health-app.js'),
        instances: 2,
        exec_mode: 'cluster',
        watchdog: '1s',
        env: { PORT: port, HANG_FILE: hang },
      },
    ]);
    await sup.ok(['start', file]);
    const before = await sup.waitForStatus('web', 'online');
    await (await sup.client()).subscribe(['process'], (e: SupEvent) => e.type === 'health' && rmSync(hang, { force: true }));
    writeFileSync(hang, String(before.find((p) => p.instance === 1)!.pid));
    const after = await sup.waitForApp('web', 'instance 1 reloaded', (ps) =>
      ps.some((p) => p.instance === 1 && p.restart_reason?.startsWith('watchdog:') === true && p.status === 'online'),
    );
    const byIndex = (ps: ProcessInfo[], i: number) => ps.find((p) => p.instance === i)!;
    expect(byIndex(after, 0).pid).toBe(byIndex(before, 0).pid);
    expect(byIndex(after, 1).pid).not.toBe(byIndex(before, 1).pid);
    // Connections the primary handed to the hung worker before it was killed are lost with it; once it is gone,
    // both workers serve.
    const hungPid = byIndex(before, 1).pid!;
    await waitFor('the hung worker to be gone', () => !isAlive(hungPid), 20_000);
    const answers = await Promise.all(Array.from({ length: 40 }, () => get(port, false, 5000)));
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 200));
    expect(new Set(answers.map((a) => Number(a.body.split(' ')[0])))).toEqual(new Set(pidsOf(after)));
  });
});

/** The harness turns the start's crash watch off (SUP_START_WATCH_MS=0); these tests want sup's default. */
const WATCH_ON = { SUP_START_WATCH_MS: '' };

describe('crash at start', () => {
  it('`sup start` of an app that throws at start says so with its stderr, and exits non-zero', async ({ sup }) => {
    const started = Date.now();
    const r = await sup.run(['start', fixture('throw-at-start.js')], { env: WATCH_ON });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('throw-at-start#0 exited during start (exit code 1');
    expect(r.stderr).toContain('Error: cannot reach the database at 127.0.0.1:1 (ECONNREFUSED)');
    expect(r.stderr).toContain('throw-at-start exited during start');
    expect(Date.now() - started).toBeLessThan(15_000);
    const [described] = await describeApp(sup, 'throw-at-start');
    expect(described!.exits.length).toBeGreaterThan(0);
    expect(described!.exits[0]!.stderr.join('\n')).toContain('ECONNREFUSED');
  });

  it('`sup start` of a healthy app still exits 0', async ({ sup }) => {
    const r = await sup.run(['start', fixture('forever.js')], { env: WATCH_ON });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toContain('exited during start');
  });
});
