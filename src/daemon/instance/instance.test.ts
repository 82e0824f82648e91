import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Status } from '../../protocol/messages.js';
import { fakeInstance } from './fake-launcher.test-helper.js';
import { checkTransition, TRANSITIONS } from './state.js';

const STATUSES = Object.keys(TRANSITIONS) as Status[];
const tick = () => new Promise((r) => setTimeout(r, 0));
/** Starts a fork-mode fake and lets its process spawn: the launch happens in the lock, a turn after start(). */
async function online(
  instance: ReturnType<typeof fakeInstance>['instance'],
  launcher: ReturnType<typeof fakeInstance>['launcher'],
  pid: number,
) {
  const started = instance.start();
  await tick();
  launcher.last.spawn(pid);
  await started;
}
const waitUntil = async (what: string, probe: () => boolean, ms = 2000) => {
  const end = Date.now() + ms;
  while (!probe()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
};
/** The transitions a recorded sequence of statuses went through, as "from→to". */
const edges = (statuses: string[], from = 'stopped') => statuses.map((s, i) => `${i === 0 ? from : statuses[i - 1]}→${s}`);

describe('the transition table', () => {
  it('is the state diagram of docs/architecture.md, edge for edge', () => {
    const doc = readFileSync(new URL('../../../docs/architecture.md', import.meta.url), 'utf8');
    const diagram = /```mermaid\n(stateDiagram-v2[\s\S]*?)```/.exec(doc)?.[1];
    expect(diagram, 'a mermaid state diagram in docs/architecture.md').toBeDefined();
    const alias = (s: string) => (s === 'waiting' ? 'waiting-restart' : s);
    const documented = new Set(
      [...diagram!.matchAll(/^\s*(\S+) --> (\S+?):/gm)]
        .filter((m) => m[1] !== '[*]' && m[2] !== '[*]')
        .map((m) => `${alias(m[1]!)}→${alias(m[2]!)}`),
    );
    const coded = new Set(STATUSES.flatMap((from) => TRANSITIONS[from].map((to) => `${from}→${to}`)));
    expect([...coded].sort()).toEqual([...documented].sort());
  });

  it('refuses every move it does not list, as a bug (INTERNAL)', () => {
    for (const from of STATUSES) {
      for (const to of STATUSES) {
        if (TRANSITIONS[from].includes(to)) expect(() => checkTransition(from, to, 't')).not.toThrow();
        else expect(() => checkTransition(from, to, 't')).toThrow(expect.objectContaining({ code: 'INTERNAL' }));
      }
    }
  });
});

describe('an instance, driven through every transition with a fake launcher', () => {
  it('stopped → launching → online (fork: spawned)', async () => {
    const { instance, launcher, statuses } = fakeInstance();
    await online(instance, launcher, 101);
    expect(edges(statuses)).toEqual(['stopped→launching', 'launching→online']);
    expect(instance.info()).toMatchObject({ pid: 101, status: 'online' });
  });

  it('launching → online only on the sign the app gives: listening (cluster), ready (wait_ready)', async () => {
    const cluster = fakeInstance({ exec_mode: 'cluster' });
    void cluster.instance.start();
    await tick();
    cluster.launcher.last.spawn(1);
    cluster.launcher.last.ready();
    expect(cluster.instance.status).toBe('launching');
    cluster.launcher.last.listen();
    expect(cluster.instance.status).toBe('online');

    const ready = fakeInstance({ wait_ready: true });
    void ready.instance.start();
    await tick();
    ready.launcher.last.spawn(2);
    ready.launcher.last.listen();
    expect(ready.instance.status).toBe('launching');
    ready.launcher.last.ready();
    expect(ready.instance.status).toBe('online');
  });

  it('launching → online after listen_timeout without the sign, saying why', async () => {
    const { instance, launcher } = fakeInstance({ wait_ready: true, listen_timeout: 20 });
    const started = instance.start();
    await tick();
    launcher.last.spawn(1);
    await started;
    expect(instance.info()).toMatchObject({
      status: 'online',
      status_reason: expect.stringMatching(/no process.send\('ready'\) within listen_timeout \(20 ms\)/),
    });
  });

  it('launching → stopping → stopped: a stop during the launch stops the new process', async () => {
    const { instance, launcher, statuses } = fakeInstance({ exec_mode: 'cluster' });
    void instance.start();
    await tick();
    launcher.last.spawn(1);
    await instance.stop();
    expect(edges(statuses)).toEqual(['stopped→launching', 'launching→stopping', 'stopping→stopped']);
    expect(launcher.last.stops).toHaveLength(1);
  });

  it('online → stopping → stopped, with the reason when SIGKILL was needed', async () => {
    const { instance, launcher, statuses } = fakeInstance({ kill_timeout: 50 });
    launcher.onStop = 'ignore';
    await online(instance, launcher, 1);
    await instance.stop();
    expect(edges(statuses).slice(-2)).toEqual(['online→stopping', 'stopping→stopped']);
    expect(instance.info().status_reason).toMatch(/did not exit within kill_timeout \(50 ms\); killed with SIGKILL/);
  });

  it('online → launching: a crash after a stable run restarts at once, counted', async () => {
    const { instance, launcher, statuses } = fakeInstance({ min_uptime: 0 });
    await online(instance, launcher, 1);
    launcher.last.exit({ code: 1, signal: null });
    expect(edges(statuses).slice(-1)).toEqual(['online→launching']);
    expect(instance.info()).toMatchObject({ restarts: 1, exit_code: 1, restart_reason: 'exited with code 1' });
    expect(launcher.handles).toHaveLength(2);
  });

  it('launching → launching: a crash before it was online restarts at once too', async () => {
    const { instance, launcher, statuses } = fakeInstance({ exec_mode: 'cluster' });
    void instance.start();
    await tick();
    launcher.last.spawn(1);
    launcher.last.exit({ code: 1, signal: null });
    expect(edges(statuses)).toEqual(['stopped→launching', 'launching→launching']);
  });

  it('launching/online → waiting-restart → launching once the delay passed; the restart is counted then', async () => {
    const { instance, launcher, statuses } = fakeInstance({ restart_delay: 30 });
    await online(instance, launcher, 1);
    launcher.last.exit({ code: 1, signal: null });
    expect(instance.info()).toMatchObject({ status: 'waiting-restart', restarts: 0 });
    expect(instance.nextRestartAt).toBeGreaterThan(Date.now());
    await waitUntil('the relaunch', () => launcher.handles.length === 2);
    expect(edges(statuses).slice(-2)).toEqual(['online→waiting-restart', 'waiting-restart→launching']);
    expect(instance.info().restarts).toBe(1);

    const early = fakeInstance({ restart_delay: 60_000, exec_mode: 'cluster' });
    void early.instance.start();
    await tick();
    early.launcher.last.exit({ code: 1, signal: null });
    expect(edges(early.statuses)).toEqual(['stopped→launching', 'launching→waiting-restart']);
    await early.instance.stop();
  });

  it('waiting-restart → stopped: a stop cancels the pending restart, and nothing is counted', async () => {
    const { instance, launcher, statuses } = fakeInstance({ restart_delay: 50 });
    await online(instance, launcher, 1);
    launcher.last.exit({ code: 1, signal: null });
    await instance.stop();
    await new Promise((r) => setTimeout(r, 80));
    expect(edges(statuses).slice(-2)).toEqual(['online→waiting-restart', 'waiting-restart→stopped']);
    expect(launcher.handles).toHaveLength(1);
    expect(instance.info().restarts).toBe(0);
  });

  it('waiting-restart → launching on a start asked for by someone', async () => {
    const { instance, launcher, statuses } = fakeInstance({ restart_delay: 60_000 });
    await online(instance, launcher, 1);
    launcher.last.exit({ code: 1, signal: null });
    await online(instance, launcher, 2);
    expect(edges(statuses).slice(-3)).toEqual(['online→waiting-restart', 'waiting-restart→launching', 'launching→online']);
  });

  it('online → stopped and launching → stopped: an exit the policy says to leave alone', async () => {
    const listed = fakeInstance({ stop_exit_codes: [0] });
    await online(listed.instance, listed.launcher, 1);
    listed.launcher.last.exit({ code: 0, signal: null });
    expect(listed.instance.info()).toMatchObject({ status: 'stopped', status_reason: 'exited with code 0, listed in stop_exit_codes' });

    const off = fakeInstance({ autorestart: false, exec_mode: 'cluster' });
    void off.instance.start();
    await tick();
    off.launcher.last.exit({ code: 3, signal: null });
    expect(edges(off.statuses)).toEqual(['stopped→launching', 'launching→stopped']);
  });

  it('launching/online → errored after max_restarts unstable runs; errored → launching on start, errored → stopped on stop', async () => {
    const { instance, launcher, statuses } = fakeInstance({ max_restarts: 1, min_uptime: 60_000 });
    void instance.start();
    await tick();
    launcher.last.spawn(1);
    launcher.last.exit({ code: 1, signal: null }); // the first unstable run: restarted at once
    expect(instance.status).toBe('launching');
    launcher.last.spawn(2);
    launcher.last.exit({ code: 1, signal: null }); // the second, over max_restarts
    expect(edges(statuses)).toEqual(['stopped→launching', 'launching→online', 'online→launching', 'launching→online', 'online→errored']);
    expect(instance.info().status_reason).toMatch(/max_restarts is 1/);

    await online(instance, launcher, 4);
    expect(instance.status).toBe('online');
    const { instance: errored, launcher: l2 } = fakeInstance({ max_restarts: 0, min_uptime: 60_000 });
    void errored.start();
    await tick();
    l2.last.spawn(1);
    l2.last.exit({ code: 1, signal: null });
    expect(errored.status).toBe('errored');
    await errored.stop();
    expect(errored.status).toBe('stopped');
  });

  it('online → online: a reload swaps in a ready replacement, then stops the old process', async () => {
    const { instance, launcher, statuses } = fakeInstance({ exec_mode: 'cluster' });
    void instance.start();
    await tick();
    launcher.last.spawn(1);
    launcher.last.listen();
    const reloaded = instance.reload();
    await tick();
    launcher.last.spawn(2);
    launcher.last.listen();
    expect(await reloaded).toBe('replaced');
    expect(edges(statuses).slice(-1)).toEqual(['online→online']);
    expect(launcher.handles[0]!.stops).toHaveLength(1);
    expect(instance.info()).toMatchObject({ pid: 2, restarts: 1, status: 'online' });
  });

  it("keeps a failed replacement's exit to itself: info() still shows the serving process, not that exit", async () => {
    const { instance, launcher } = fakeInstance({ exec_mode: 'cluster' });
    void instance.start();
    await tick();
    launcher.last.spawn(1);
    launcher.last.listen();
    const reloaded = instance.reload();
    await tick();
    launcher.last.spawn(2);
    launcher.last.exit({ code: 7, signal: null });
    await expect(reloaded).rejects.toMatchObject({
      code: 'RELOAD_FAILED',
      message: expect.stringMatching(/exited with code 7.*the old instance \(pid 1\) keeps serving/),
    });
    expect(instance.info()).toMatchObject({ status: 'online', pid: 1, exit_code: null, restarts: 0 });
  });

  it('a stop asked during a reload does not wait for the replacement: the reload gives way', async () => {
    const { instance, launcher } = fakeInstance({ exec_mode: 'cluster', listen_timeout: 60_000 });
    void instance.start();
    await tick();
    launcher.last.spawn(1);
    launcher.last.listen();
    const reloaded = instance.reload();
    await tick();
    launcher.last.spawn(2); // never listens
    await instance.stop();
    expect(await reloaded).toBe('skipped');
    expect(instance.status).toBe('stopped');
    expect(launcher.handles.every((h) => h.stops.length === 1)).toBe(true);
  });

  it('reload of a cluster app that never listens: a replacement running after listen_timeout takes over (PM2), a listening app stays strict', async () => {
    const worker = fakeInstance({ exec_mode: 'cluster', listen_timeout: 20 });
    const started = worker.instance.start();
    await tick();
    worker.launcher.last.spawn(1); // a queue consumer: never listens
    await started;
    const reloaded = worker.instance.reload();
    await tick();
    worker.launcher.last.spawn(2);
    expect(await reloaded).toBe('replaced');
    expect(worker.instance.info()).toMatchObject({ status: 'online', pid: 2 });

    const server = fakeInstance({ exec_mode: 'cluster', listen_timeout: 20 });
    void server.instance.start();
    await tick();
    server.launcher.last.spawn(1);
    server.launcher.last.listen();
    const failed = server.instance.reload();
    await tick();
    server.launcher.last.spawn(2); // never listens
    await expect(failed).rejects.toThrow(/did not listen within listen_timeout/);
    expect(server.instance.info()).toMatchObject({ status: 'online', pid: 1 });
  });

  it('a removed instance is never started again by an operation queued behind the removal', async () => {
    const { instance, launcher } = fakeInstance();
    await online(instance, launcher, 1);
    const removed = instance.remove();
    const restarted = instance.restart();
    await Promise.all([removed, restarted]);
    expect(instance.status).toBe('stopped');
    expect(launcher.handles).toHaveLength(1);
  });

  it('adopts a process the keeper held: online as it runs, its uptime kept; a stop stops it, an exit goes to the policy', async () => {
    const kept = {
      key: 9,
      tag: { app: 'app', id: 0, index: 0 },
      pid: 4242,
      mode: 'fork' as const,
      startedAt: Date.now() - 60_000,
      listening: false,
      ready: false,
      ipc: true,
    };
    const { instance, launcher, statuses } = fakeInstance({ min_uptime: 0 });
    instance.adopt(kept);
    expect(instance.info()).toMatchObject({ status: 'online', pid: 4242, restarts: 0 });
    expect(instance.info().uptime).toBeGreaterThanOrEqual(60_000);
    launcher.last.exit({ code: 1, signal: null });
    expect(edges(statuses)).toEqual(['stopped→online', 'online→launching']);
    expect(instance.info().restarts).toBe(1);

    const cluster = fakeInstance({ exec_mode: 'cluster', listen_timeout: 60_000 });
    cluster.instance.adopt({ ...kept, mode: 'cluster', listening: false });
    expect(cluster.instance.status).toBe('launching');
    cluster.launcher.last.listen();
    expect(cluster.instance.status).toBe('online');
    await cluster.instance.stop();
    expect(cluster.instance.status).toBe('stopped');
  });

  it('starts again, counters unchanged, a process that went with a keeper that died', async () => {
    const { instance, launcher, statuses } = fakeInstance();
    await online(instance, launcher, 1);
    launcher.last.exit({ code: null, signal: null, error: 'the keeper that held it died', lost: true });
    expect(edges(statuses).slice(-1)).toEqual(['online→launching']);
    expect(instance.info()).toMatchObject({ restarts: 0, unstable_restarts: 0 });
    expect(launcher.handles).toHaveLength(2);
  });
});
