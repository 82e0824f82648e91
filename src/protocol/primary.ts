/**
 * Messages between the daemon and an app's cluster primary (over the primary's IPC channel),
 * and between the primary and sup's runtime inside each worker. Both are tagged unions on `type`.
 */

export interface PrimarySetup {
  type: 'setup';
  script: string;
  args: string[];
  execArgv: string[];
  cwd: string;
}

export type ToPrimary =
  | PrimarySetup
  | { type: 'fork'; key: number; env: Record<string, string> }
  | { type: 'send'; key: number; message: unknown }
  /** Stop accepting connections and close keep-alive sockets gracefully, then answer `drained`. */
  | { type: 'drain'; key: number; graceMs: number };

export type FromPrimary =
  | { type: 'spawned'; key: number; pid: number }
  | { type: 'listening'; key: number }
  | { type: 'ready'; key: number }
  | { type: 'message'; key: number; data: unknown }
  | { type: 'drained'; key: number }
  | { type: 'output'; key: number; stream: 'out' | 'err'; data: Uint8Array }
  | { type: 'exit'; key: number; code: number | null; signal: string | null };

/** sup's own messages to and from the runtime in a worker, tagged so that they never reach the app's listeners. */
export const WORKER_TAG = '__sup';
export type ToWorker = { [WORKER_TAG]: 'drain'; graceMs: number };
export type FromWorker = { [WORKER_TAG]: 'drained' };

export function isWorkerControl(message: unknown): message is ToWorker | FromWorker {
  return typeof message === 'object' && message !== null && WORKER_TAG in message;
}
