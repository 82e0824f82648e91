/**
 * sup's own messages to and from its runtime inside a cluster worker, tagged so that they never reach the app's
 * `process.on('message')` listeners.
 */
export const WORKER_TAG = '__sup';
export type ToWorker = { [WORKER_TAG]: 'drain'; graceMs: number };
export type FromWorker = { [WORKER_TAG]: 'drained' };

export function isWorkerControl(message: unknown): message is ToWorker | FromWorker {
  return typeof message === 'object' && message !== null && WORKER_TAG in message;
}
