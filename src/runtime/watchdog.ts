import { isMainThread, Worker } from 'node:worker_threads';

/**
 * The main thread's half of the watchdog: a timer that bumps a counter in shared memory. A blocked event loop stops
 * bumping it; the other half (watchdog-thread.ts, a worker thread, so that it runs while the main thread cannot)
 * notices, writes the hung stack to stderr and tells sup. Costs one 8-byte buffer, a timer and a small thread.
 */
export function installWatchdog(watchdogMs: number): void {
  // --import also preloads into the app's own worker threads: one watchdog, for the main thread, is enough.
  if (!isMainThread || !(watchdogMs > 0)) return;
  const beat = new Int32Array(new SharedArrayBuffer(4));
  const tickMs = beatInterval(watchdogMs);
  setInterval(() => Atomics.add(beat, 0, 1), tickMs).unref();
  const worker = new Worker(new URL('./watchdog-thread.js', import.meta.url), {
    workerData: { beat, watchdogMs, tickMs },
    // Not the app's flags: they would preload sup's runtime (and the app's --import modules) into the thread again.
    execArgv: [],
    stdout: false,
    stderr: false,
  });
  // The watchdog must never keep the app alive, nor take it down.
  worker.unref();
  worker.on('error', () => undefined);
}

/** How often the loop proves it runs: often enough that a block is seen within about a quarter of `watchdog`. */
export function beatInterval(watchdogMs: number): number {
  return Math.max(10, Math.min(1000, Math.floor(watchdogMs / 4)));
}
