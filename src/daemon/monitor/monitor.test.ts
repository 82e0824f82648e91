import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Instance } from '../instance/instance.js';
import { Monitor } from './monitor.js';

// The monitor against this test's own process (real /proc readings), with fake timers: which timers run, and when the
// memory guard reads.
function watched(limit: { on: boolean }) {
  const observed: number[] = [];
  const recorded: number[] = [];
  const resources = {
    get limited() {
      return limit.on;
    },
    metrics: null,
    record: (m: { memory: number }) => recorded.push(m.memory),
    observeMemory: (memory: number) => observed.push(memory),
  };
  const instance = { id: 0, pid: process.pid, processGroup: null, isRunning: () => true, resources };
  return { instance: instance as unknown as Instance, observed, recorded };
}

afterEach(() => {
  vi.useRealTimers();
});

describe.skipIf(process.platform !== 'linux')('Monitor', () => {
  it('runs the 250 ms memory guard only while an instance has a limit', async () => {
    vi.useFakeTimers();
    const limit = { on: false };
    const { instance, observed, recorded } = watched(limit);
    const monitor = new Monitor(
      () => [instance],
      1000,
      () => {},
    );
    monitor.start();
    await vi.advanceTimersByTimeAsync(3000);
    expect(recorded.length).toBe(3);
    expect(observed).toEqual([]);
    expect(vi.getTimerCount()).toBe(1);

    limit.on = true;
    await vi.advanceTimersByTimeAsync(1000); // the pass that sees the limit starts the guard
    await vi.advanceTimersByTimeAsync(900);
    expect(observed.length).toBe(3);
    expect(observed[0]).toBeGreaterThan(0);
    expect(vi.getTimerCount()).toBe(2);

    limit.on = false;
    await vi.advanceTimersByTimeAsync(100); // the next pass sees none and stops it
    expect(vi.getTimerCount()).toBe(1);
    monitor.stop();
    expect(vi.getTimerCount()).toBe(0);
  });
});
