import { SupError } from '../../errors.js';
import type { Status } from '../../protocol/messages.js';
import type { Run } from './run.js';

/**
 * Where an instance is, with what belongs to that place: a process (its run) while launching, online or stopping;
 * a timer while waiting to restart; a reason where the status alone would not say why.
 */
export type InstanceState =
  | { status: 'stopped'; reason: string | null }
  | { status: 'errored'; reason: string | null }
  | { status: 'completed'; reason: string | null }
  | { status: 'failed'; reason: string }
  | { status: 'waiting-restart'; reason: string; at: number; timer: NodeJS.Timeout }
  | { status: 'launching'; run: Run }
  | { status: 'online'; run: Run; reason: string | null }
  | { status: 'stopping'; run: Run };

/**
 * Every move an instance may make, and only these: the state diagram of docs/architecture.md as data.
 * launching → launching is a crash restarted at once; online → online is a reload's swap (or a reason changing).
 */
export const TRANSITIONS: { readonly [S in Status]: readonly Status[] } = {
  stopped: ['launching'],
  errored: ['launching', 'stopped'],
  'waiting-restart': ['launching', 'stopped'],
  launching: ['online', 'stopping', 'launching', 'waiting-restart', 'stopped', 'errored', 'completed', 'failed'],
  online: ['online', 'stopping', 'launching', 'waiting-restart', 'stopped', 'errored', 'completed', 'failed'],
  stopping: ['stopped'],
  completed: ['launching', 'stopped'],
  failed: ['launching', 'stopped'],
};

/** A move outside the table is a bug in sup, reported as such rather than acted on. */
export function checkTransition(from: Status, to: Status, who: string): void {
  if (!TRANSITIONS[from].includes(to)) throw new SupError('INTERNAL', `${who}: no transition from ${from} to ${to}`);
}

/** The run of a state that has one. */
export function runOf(state: InstanceState): Run | undefined {
  return 'run' in state ? state.run : undefined;
}

/** The reason shown beside the status. */
export function reasonOf(state: InstanceState): string | null {
  return 'reason' in state ? state.reason : null;
}

/** A process exists for these statuses (it may not have reported its pid yet). */
export function hasProcess(status: Status): boolean {
  return status === 'launching' || status === 'online' || status === 'stopping';
}

/** The reason a finished stop leaves: SIGKILL was needed, or (bounded wait) the exit was never reported. */
export function stopReason(outcome: 'exited' | 'killed', reported: boolean, pid: number | undefined, killTimeoutMs: number): string | null {
  if (!reported) return `no exit reported for pid ${pid ?? '?'} after the stop; assumed gone`;
  return outcome === 'killed' ? `did not exit within kill_timeout (${killTimeoutMs} ms); killed with SIGKILL` : null;
}
