import type { DependencyCondition } from '../../config/app-config.js';
import type { ProcessInfo } from '../../protocol/messages.js';

/** Whether a dependency is where its dependent needs it: met, not yet (wait), or never on its own (blocked, and why). */
export type DependencyState = { kind: 'met' } | { kind: 'pending' } | { kind: 'blocked'; reason: string };

type Seen = Pick<ProcessInfo, 'status' | 'status_reason' | 'health'>;

/**
 * Pure. A one-shot dependency is waited for until it completed, whatever the condition says (except "started"): what
 * its dependents need is its work done. "healthy" is "online" for an app without a health check.
 */
export function dependencyState(
  dep: string,
  condition: DependencyCondition,
  oneshot: boolean,
  instances: readonly Seen[],
): DependencyState {
  if (instances.length === 0) return { kind: 'blocked', reason: `${dep} has no instances` };
  const wanted = oneshot && condition !== 'started' ? 'completed' : condition;
  const because = (i: Seen) => (i.status_reason ? ` (${i.status_reason})` : '');
  const failed = instances.find((i) => i.status === 'failed' || i.status === 'errored');
  if (failed) return { kind: 'blocked', reason: `${dep} ${failed.status === 'failed' ? 'failed' : 'is errored'}${because(failed)}` };
  const met = (i: Seen): boolean => {
    if (wanted === 'started') return i.status === 'launching' || i.status === 'online' || i.status === 'completed';
    if (wanted === 'completed') return i.status === 'completed';
    if (wanted === 'healthy') return i.status === 'online' && (i.health === null || i.health.status === 'healthy');
    return i.status === 'online';
  };
  if (instances.every(met)) return { kind: 'met' };
  const down = instances.find((i) => i.status === 'stopped' || i.status === 'stopping');
  if (down) return { kind: 'blocked', reason: `${dep} is ${down.status}${because(down)}` };
  const over = instances.find((i) => i.status === 'completed' && wanted !== 'completed');
  if (over) return { kind: 'blocked', reason: `${dep} has exited (completed) and will not be ${wanted}` };
  return { kind: 'pending' };
}
