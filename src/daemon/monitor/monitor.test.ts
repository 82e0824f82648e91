import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Instance } from '../instance/instance.js';
import { Monitor } from './monitor.js';
import { ProcUsage, type UsageSource } from './usage.js';

// The monitor against this test's own process (real /proc readings), with fake timers: which timers run, and when the
// memory guard reads.
function watched(limit: { on: boolean }, pid = process.pid) {
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
  const instance = { id: 0, pid, processGroup: null, isRunning: () => true, resources };
  return { instance: instance as unknown as Instance, observed, recorded };
}

/** A started monitor of these instances, once a second (fake timers on). */
function started(running: () => Instance[], usage?: UsageSource): Monitor {
  vi.useFakeTimers();
  const monitor = new Monitor(running, 1000, () => {}, usage);
  monitor.start();
  return monitor;
}

afterEach(() => {
  vi.useRealTimers();
});

describe.skipIf(process.platform !== 'linux')('Monitor', () => {
  it('runs the 250 ms memory guard only while an instance has a limit', async () => {
    const limit = { on: false };
    const { instance, observed, recorded } = watched(limit);
    const monitor = started(() => [instance]);
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

  it('stops the guard with the monitor, and starts it again with the next pass after a start', async () => {
    const { instance } = watched({ on: true });
    const monitor = started(() => [instance]);
    await vi.advanceTimersByTimeAsync(1000);
    expect(vi.getTimerCount()).toBe(2);
    monitor.stop();
    expect(vi.getTimerCount()).toBe(0);
    monitor.start();
    expect(vi.getTimerCount()).toBe(1);
    await vi.advanceTimersByTimeAsync(1000);
    expect(vi.getTimerCount()).toBe(2);
    monitor.stop();
  });

  it('tells the usage source what it follows only when that can have changed', async () => {
    const kept: number[][] = [];
    const usage = new (class extends ProcUsage {
      override keepOnly(pids: ReadonlySet<number>): void {
        kept.push([...pids]);
        super.keepOnly(pids);
      }
    })() satisfies UsageSource;
    const self = watched({ on: false });
    const parent = watched({ on: false }, process.ppid);
    let running = [self.instance, parent.instance];
    const monitor = started(() => running, usage);
    await vi.advanceTimersByTimeAsync(1000); // the first pass scans
    expect(kept.length).toBe(1);
    await vi.advanceTimersByTimeAsync(3000); // nothing changed, no scan due yet
    expect(kept.length).toBe(1);
    running = [self.instance]; // one instance gone
    await vi.advanceTimersByTimeAsync(1000);
    expect(kept.length).toBe(2);
    expect(kept[1]).not.toContain(process.ppid);
    monitor.stop();
  });
});
