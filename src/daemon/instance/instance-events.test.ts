import { describe, expect, it } from 'vitest';
import { fakeInstance } from './fake-launcher.test-helper.js';

const tick = () => new Promise((r) => setTimeout(r, 0));
const waitUntil = async (what: string, probe: () => boolean, ms = 2000) => {
  const end = Date.now() + ms;
  while (!probe()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
};

/** An instance started on a fake launcher, its first process (pid 1) spawned. */
async function onlineInstance(): Promise<ReturnType<typeof fakeInstance>> {
  const fake = fakeInstance();
  const started = fake.instance.start();
  await tick();
  fake.launcher.last.spawn(1);
  await started;
  return fake;
}

/** What an instance reports to its owner (and so to hooks and `sup events`), in order. */
describe('the events of an instance', () => {
  it('start, online; a crash: exit, crash, restart, online; a stop: exit, stop', async () => {
    const { instance, launcher, events } = await onlineInstance();
    launcher.last.exit({ code: 1, signal: null });
    await waitUntil('the restart', () => launcher.handles.length === 2);
    launcher.last.spawn(2);
    await instance.stop();
    expect(events).toEqual(['start', 'online', 'exit', 'crash', 'restart', 'online', 'exit', 'stop']);
  });

  it('reports a requested restart as restart, not as a stop', async () => {
    const { instance, launcher, events } = await onlineInstance();
    const restarted = instance.restart();
    await waitUntil('the new process', () => launcher.handles.length === 2);
    launcher.last.spawn(2);
    await restarted;
    expect(events).toEqual(['start', 'online', 'exit', 'restart', 'online']);
  });

  it('gives up with errored after the crash that exceeds max_restarts', async () => {
    const { instance, launcher, events, statuses } = fakeInstance({ max_restarts: 0 });
    const started = instance.start();
    await tick();
    launcher.last.spawn(1);
    await started;
    launcher.last.exit({ code: 2, signal: null });
    expect(statuses.at(-1)).toBe('errored');
    expect(events).toEqual(['start', 'online', 'exit', 'crash', 'errored']);
  });

  it('a one-shot task: completed on exit 0 (no crash), failed otherwise (a crash), never restarted', async () => {
    for (const [code, status, tail] of [
      [0, 'completed', ['exit']],
      [1, 'failed', ['exit', 'crash']],
    ] as const) {
      const { instance, launcher, events, statuses } = fakeInstance({ oneshot: true });
      const started = instance.start();
      await tick();
      launcher.last.spawn(1);
      await started;
      launcher.last.exit({ code, signal: null });
      await tick();
      expect(statuses.at(-1)).toBe(status);
      expect(events).toEqual(['start', 'online', ...tail]);
      expect(launcher.handles).toHaveLength(1);
      expect(instance.info().status_reason).toBe(code === 0 ? null : 'one-shot task exited with code 1');
    }
  });

  it('runs a completed one-shot task again on start', async () => {
    const { instance, launcher, statuses } = fakeInstance({ oneshot: true });
    const first = instance.start();
    await tick();
    launcher.last.spawn(1);
    await first;
    launcher.last.exit({ code: 0, signal: null });
    const again = instance.start();
    await tick();
    launcher.last.spawn(2);
    await again;
    expect(statuses).toEqual(['launching', 'online', 'completed', 'launching', 'online']);
  });
});
