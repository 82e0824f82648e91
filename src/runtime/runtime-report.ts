import { monitorEventLoopDelay } from 'node:perf_hooks';
import { type RuntimeReport, WORKER_TAG } from '../protocol/worker.js';

// Often enough for a dashboard and /metrics; rare enough to cost the app nothing measurable.
const REPORT_MS = 5000;

/**
 * Reports the app's event-loop delay and heap to sup over the IPC channel every REPORT_MS (unref'd: it never keeps
 * the app alive). The histogram samples at 20 ms, Node's own timer-based measure.
 */
export function startRuntimeReports(): void {
  if (!process.send || !process.connected) return;
  const delay = monitorEventLoopDelay({ resolution: 20 });
  delay.enable();
  const timer = setInterval(() => {
    if (!process.connected) return clearInterval(timer);
    const { heapUsed, heapTotal } = process.memoryUsage();
    const report: RuntimeReport = {
      [WORKER_TAG]: 'runtime',
      loop_delay_ms: Number.isNaN(delay.mean) ? 0 : delay.mean / 1e6,
      loop_delay_max_ms: delay.max / 1e6,
      heap_used: heapUsed,
      heap_total: heapTotal,
    };
    delay.reset();
    process.send?.(report, undefined, {}, () => undefined);
  }, REPORT_MS);
  timer.unref();
}
