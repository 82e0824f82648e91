import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect } from 'vitest';
import { freePorts } from './harness/http.js';
import { fixture } from './harness/paths.js';
import { isAlive, killQuietly } from './harness/proc.js';
import { waitFor } from './harness/wait.js';
import { describeApp, homeEcosystem, startMayCrash } from './helpers/apps.js';
import { Receiver } from './helpers/events.js';
import { it } from './helpers/sup-test.js';

/** The lines a hook-record.js hook appended, parsed. */
const recorded = (file: string) =>
  existsSync(file)
    ? readFileSync(file, 'utf8')
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { stdin: Record<string, unknown>; env: Record<string, string> })
    : [];

describe('hooks', () => {
  const receivers: Receiver[] = [];
  const hookPids: number[] = [];
  afterEach(async () => {
    await Promise.all(receivers.splice(0).map((r) => r.close()));
    for (const pid of hookPids.splice(0)) killQuietly(pid);
  });

  it('runs a crash hook with the event as JSON on stdin and as SUP_* variables, stderr lines included', async ({ sup, dir }) => {
    const out = join(dir, 'hook.jsonl');
    const file = homeEcosystem(sup, [
      { name: 'loud', script: fixture('fail-loudly.js'), autorestart: false, hooks: { crash: `node ${fixture('hook-record.js')} ${out}` } },
    ]);
    await startMayCrash(sup, [file]);
    await waitFor(
      'the crash hook to run',
      () => recorded(out).length === 1,
      20_000,
      () => readFileSync(join(sup.home, 'daemon.log'), 'utf8'),
    );
    const [{ stdin, env }] = recorded(out) as [{ stdin: Record<string, unknown>; env: Record<string, string> }];
    expect(stdin).toMatchObject({
      event: 'crash',
      app: 'loud',
      id: 0,
      instance: 0,
      exit_code: 3,
      signal: null,
      reason: 'exited with code 3',
    });
    expect(stdin.stderr).toEqual(['fail-loudly: first line', 'fail-loudly: Error: database is gone', 'fail-loudly: last line']);
    expect(env).toMatchObject({
      SUP_EVENT: 'crash',
      SUP_APP: 'loud',
      SUP_ID: '0',
      SUP_INSTANCE: '0',
      SUP_EXIT_CODE: '3',
      SUP_REASON: 'exited with code 3',
    });
    expect(env.SUP_STDERR).toContain('database is gone');
    expect(env.SUP_SIGNAL).toBeUndefined();
  });

  it('POSTs the same JSON to a webhook on a crash', async ({ sup }) => {
    const receiver = await Receiver.start();
    receivers.push(receiver);
    const file = homeEcosystem(sup, [
      { name: 'loud', script: fixture('fail-loudly.js'), autorestart: false, hooks: { crash: { url: receiver.url } } },
    ]);
    await startMayCrash(sup, [file]);
    await waitFor('the webhook POST', () => receiver.bodies.length === 1);
    expect(receiver.bodies[0]).toMatchObject({ event: 'crash', app: 'loud', exit_code: 3, signal: null });
    expect(receiver.bodies[0]!.stderr).toContain('fail-loudly: last line');
    // What Slack (text) and Discord (content) need to show it.
    expect(receiver.bodies[0]).toMatchObject({ text: 'loud#0 crash: exited with code 3', content: 'loud#0 crash: exited with code 3' });
  });

  it('sends a crash loop of 50 crashes as a few notifications and one summary', async ({ sup }) => {
    const receiver = await Receiver.start();
    receivers.push(receiver);
    // The daemon-wide file: this hook for every app, and a window short enough for a test.
    writeFileSync(
      join(sup.home, 'hooks.json'),
      JSON.stringify({ hooks: { crash: { url: receiver.url } }, rate_limit: { burst: 3, window: '25s' } }),
    );
    const file = homeEcosystem(sup, [{ name: 'loop', script: fixture('crash.js'), restart_delay: 1, max_restarts: 49, min_uptime: '1m' }]);
    const started = Date.now();
    await startMayCrash(sup, [file]);
    await sup.waitForStatus('loop', 'errored', 90_000);
    const loopMs = Date.now() - started;
    expect((await sup.info('loop')).restarts).toBe(49);
    // 50 crashes: 3 sent as they happen, the others in one summary when the window closes (on a slow machine the
    // loop may outlast a window: then each window sends its 3 and its summary).
    const summaries = () => receiver.bodies.filter((b) => b.summary);
    const single = () => receiver.bodies.filter((b) => !b.summary);
    const covered = () => single().length + summaries().reduce((n, b) => n + (b.summary as { suppressed: number }).suppressed, 0);
    await waitFor(
      'every crash sent or summarized',
      () => covered() === 50,
      90_000,
      () => receiver.bodies.length,
    );
    console.log(
      `crash loop: 50 crashes in ${loopMs} ms gave ${receiver.bodies.length} POSTs (${single().length} + ${summaries().length} summary)`,
    );
    expect(receiver.bodies.length).toBeLessThanOrEqual(12);
    expect(summaries()[0]!.reason).toMatch(/more crash event\(s\) of loop within 25 s were not sent/);
  }, 200_000);

  it('kills a hook that hangs after its timeout, and neither restarts nor the daemon wait for it', async ({ sup, dir }) => {
    const pids = join(dir, 'hang.pids');
    writeFileSync(join(sup.home, 'hooks.json'), JSON.stringify({ timeout: '2s', concurrency: 1 }));
    const file = homeEcosystem(sup, [
      {
        name: 'flaky',
        script: fixture('crash.js'),
        env: { CRASH_AFTER_MS: '300' },
        restart_delay: 100,
        max_restarts: 100,
        min_uptime: '1m',
        hooks: { crash: `node ${fixture('hook-hang.js')} ${pids}` },
      },
    ]);
    await startMayCrash(sup, [file]);
    await waitFor('the first hook to start', () => existsSync(pids));
    const first = Number(readFileSync(pids, 'utf8').split('\n')[0]);
    hookPids.push(first);
    // While that hook hangs, the app goes on crashing and restarting at its own pace, and the daemon answers.
    const t0 = Date.now();
    await sup.waitForApp('flaky', '3 more restarts', ([p]) => p!.restarts >= 3, 20_000);
    const restartsMs = Date.now() - t0;
    const ping = Date.now();
    await sup.ok(['ping']);
    console.log(`hanging hook: 3 restarts in ${restartsMs} ms; sup ping took ${Date.now() - ping} ms`);
    await waitFor('the hanging hook to be killed after 2 s', () => !isAlive(first), 15_000);
    await sup.ok(['stop', 'flaky']);
    for (const pid of readFileSync(pids, 'utf8').trim().split('\n').map(Number)) hookPids.push(pid);
    const [described] = await describeApp(sup, 'flaky');
    expect(described!.hook_failures[0]).toMatchObject({ event: 'crash', error: 'did not finish within 2000 ms; killed' });
    const log = readFileSync(join(sup.home, 'daemon.log'), 'utf8');
    expect(log.match(/hook crash of flaky .* failed/g)).toHaveLength(1);
  }, 60_000);

  it('retries a receiver that is down, then reports it once in daemon.log and in describe', async ({ sup }) => {
    const port = await freePorts();
    writeFileSync(join(sup.home, 'hooks.json'), JSON.stringify({ retries: 2, rate_limit: { burst: 10, window: '1m' } }));
    const file = homeEcosystem(sup, [
      {
        name: 'down',
        script: fixture('crash.js'),
        max_restarts: 2,
        min_uptime: '1m',
        hooks: { crash: { url: `http://127.0.0.1:${port}/x` } },
      },
    ]);
    await startMayCrash(sup, [file]);
    await sup.waitForStatus('down', 'errored');
    // Three crashes, each tried three times (0.5 s and 1 s apart).
    await waitFor('three failures counted', async () => (await describeApp(sup, 'down'))[0]!.hook_failures[0]?.count === 3, 30_000);
    const [described] = await describeApp(sup, 'down');
    expect(described!.hook_failures[0]!.error).toMatch(/ECONNREFUSED.*\(after 3 attempts\)/);
    const log = readFileSync(join(sup.home, 'daemon.log'), 'utf8');
    expect(log.match(/hook crash of down .* failed/g)).toHaveLength(1);
    expect((await sup.run(['describe', 'down'])).stdout).toMatch(/hook failing.*crash → http:\/\/127\.0\.0\.1/);
  }, 60_000);
});
