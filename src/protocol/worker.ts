/**
 * sup's own messages to and from its runtime inside a cluster worker, tagged so that they never reach the app's
 * `process.on('message')` listeners.
 */
export const WORKER_TAG = '__sup';
export type ToWorker = { [WORKER_TAG]: 'drain'; graceMs: number };
/** `hung`: sup's watchdog in the app saw its event loop blocked for `blocked_ms` (the stack is in its stderr). */
export type WatchdogReport = { [WORKER_TAG]: 'hung'; blocked_ms: number; watchdog_ms: number; stack: boolean };
/** A cluster worker's own loopback port for health checks (runtime/probe-port.ts). */
export type ProbePort = { [WORKER_TAG]: 'probe-port'; port: number };
/** sup's runtime loaded: the app's own code starts now (min_uptime counts from here, not from the spawn). */
export type Running = { [WORKER_TAG]: 'running' };
/** Every few seconds: the app's event-loop delay (mean and worst, ms) and heap since the last report. */
export type RuntimeReport = {
  [WORKER_TAG]: 'runtime';
  loop_delay_ms: number;
  loop_delay_max_ms: number;
  heap_used: number;
  heap_total: number;
};
export type FromWorker = { [WORKER_TAG]: 'drained' } | WatchdogReport | ProbePort | Running | RuntimeReport;

export function isWorkerControl(message: unknown): message is ToWorker | FromWorker {
  return typeof message === 'object' && message !== null && WORKER_TAG in message;
}
