import type { AppConfig } from '../../config/app-config.js';
import type { SavedInstance } from '../../state/snapshot.js';
import type { ExitInfo } from '../launch/launcher.js';
import { decideRestart, describeExit, type RestartDecision, type RestartHistory } from './restart-policy.js';

const FRESH_HISTORY: RestartHistory = { unstableRestarts: 0, lastDelayMs: 0 };

/**
 * What an instance counts across its processes: restarts and why the last one happened, the last exit, and the
 * restart policy's memory of unstable runs in a row.
 */
export class InstanceCounters {
  private restarts = 0;
  private reason: string | null = null;
  private exit: ExitInfo | null = null;
  private history: RestartHistory = FRESH_HISTORY;

  /** A restart that happens now; one asked for by someone also starts the policy's memory over. */
  restarted(reason: string, requested: boolean): void {
    this.restarts++;
    this.reason = reason;
    if (requested) this.history = FRESH_HISTORY;
  }

  /** A start asked for by someone: the policy's memory starts over. */
  freshStart(): void {
    this.history = FRESH_HISTORY;
  }

  /** The current process exited by itself: what the policy decides, its memory kept for the next decision. */
  decide(exit: ExitInfo, uptimeMs: number, config: AppConfig): RestartDecision & { what: string } {
    this.exit = exit;
    const decision = decideRestart({ ...exit, uptimeMs }, this.history, config);
    if (decision.action === 'restart') this.history = decision.history;
    return { ...decision, what: describeExit(exit) };
  }

  /** An exit during a requested stop: reported, not decided on. */
  exited(exit: ExitInfo): void {
    this.exit = exit;
  }

  /** `sup reset`. */
  reset(): void {
    this.restarts = 0;
    this.history = FRESH_HISTORY;
  }

  restore(saved: SavedInstance): void {
    this.restarts = saved.restarts;
    this.reason = saved.restart_reason;
  }

  get figures(): {
    restarts: number;
    unstable_restarts: number;
    restart_reason: string | null;
    exit_code: number | null;
    exit_signal: string | null;
  } {
    return {
      restarts: this.restarts,
      unstable_restarts: this.history.unstableRestarts,
      restart_reason: this.reason,
      exit_code: this.exit?.code ?? null,
      exit_signal: this.exit?.signal ?? null,
    };
  }
}
