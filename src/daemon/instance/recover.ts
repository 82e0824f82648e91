import type { WatchdogReport } from '../../protocol/worker.js';
import type { RestartDecision } from './restart-policy.js';

/**
 * An unhealthy or hung instance comes back: a fork app restarts; a cluster app reloads, so that the other instances
 * (and this one until its replacement is ready) keep serving, and restarts if no replacement comes up, since a sick or
 * hung process serves nobody well.
 */
export function recoverInstance(
  who: { label: string; cluster: boolean; log: (message: string) => void },
  restart: () => Promise<unknown>,
  reload: () => Promise<unknown>,
): void {
  const failed = (err: Error) => who.log(`${who.label}: ${err.message}`);
  if (!who.cluster) return void restart().catch(failed);
  void Promise.resolve(reload())
    .catch((err: Error) => {
      who.log(`${who.label}: ${err.message}; restarting it instead`);
      return restart();
    })
    .catch(failed);
}

/** What an exit's record in `describe` says happened next. */
export function outcomeText(decision: RestartDecision & { what: string }): string {
  if (decision.action === 'restart')
    return `${decision.what}; ${decision.delayMs ? `restarting in ${decision.delayMs} ms` : 'restarting at once'}`;
  return decision.action === 'complete' ? 'one-shot task completed' : decision.reason;
}

export function hungReason(report: WatchdogReport): string {
  const stack = report.stack ? '; stack in the error log' : '';
  return `watchdog: event loop blocked for ${report.blocked_ms} ms (watchdog ${report.watchdog_ms} ms)${stack}`;
}
