/**
 * The restart decision, pure so that every rule is unit-tested without a process.
 * The instance only carries out what this returns.
 */

export interface ExitFacts {
  code: number | null;
  signal: string | null;
  /** The process could not be started at all. */
  error?: string | undefined;
  /** How long the process ran. */
  uptimeMs: number;
}

export interface RestartHistory {
  /** Consecutive runs shorter than min_uptime so far. */
  unstableRestarts: number;
  /** The delay used for the previous restart (exponential backoff grows from it). */
  lastDelayMs: number;
}

export interface RestartPolicy {
  autorestart: boolean;
  max_restarts: number;
  min_uptime: number;
  restart_delay: number;
  exp_backoff_restart_delay: number;
  stop_exit_codes: readonly number[];
  /** A task run once to completion: never restarted, completed on exit 0, failed otherwise. */
  oneshot: boolean;
}

export type RestartDecision =
  | { action: 'restart'; delayMs: number; history: RestartHistory }
  | { action: 'stop'; reason: string }
  | { action: 'give-up'; reason: string }
  | { action: 'complete' }
  | { action: 'fail'; reason: string };

// The backoff sup applies when nothing is configured: the first crash restarts at once,
// further fast crashes wait 100 ms, 200 ms, … up to 5 s, so a crash loop cannot spin a core.
const DEFAULT_BACKOFF_START_MS = 100;
const DEFAULT_BACKOFF_MAX_MS = 5000;
// PM2's exp_backoff_restart_delay: ×1.5 per restart, capped at 15 s, reset after 30 s of uptime.
const PM2_BACKOFF_FACTOR = 1.5;
const PM2_BACKOFF_MAX_MS = 15_000;
const PM2_BACKOFF_RESET_MS = 30_000;

const HOPELESS_SPAWN = /\b(EACCES|ENOENT|ENOEXEC|EISDIR|ENOTDIR|EPERM)\b/;

export function decideRestart(exit: ExitFacts, history: RestartHistory, policy: RestartPolicy): RestartDecision {
  if (policy.oneshot) {
    return exit.code === 0 && !exit.error ? { action: 'complete' } : { action: 'fail', reason: `one-shot task ${describeExit(exit)}` };
  }
  if (exit.code !== null && policy.stop_exit_codes.includes(exit.code)) {
    return { action: 'stop', reason: `exited with code ${exit.code}, listed in stop_exit_codes` };
  }
  if (!policy.autorestart) {
    return { action: 'stop', reason: `${describeExit(exit)}; autorestart is off` };
  }
  // A program that cannot be executed at all (missing, not executable, not a program) fails the same way every time.
  if (exit.error && HOPELESS_SPAWN.test(exit.error)) {
    return {
      action: 'give-up',
      reason: `${describeExit(exit)}; trying again cannot help: fix the script or interpreter, then \`sup restart\``,
    };
  }
  const unstable = exit.uptimeMs < policy.min_uptime;
  const unstableRestarts = unstable ? history.unstableRestarts + 1 : 0;
  if (unstableRestarts > policy.max_restarts) {
    return {
      action: 'give-up',
      reason: `${describeExit(exit)}; it crashed ${history.unstableRestarts + 1} times in a row within min_uptime (${policy.min_uptime} ms), max_restarts is ${policy.max_restarts}`,
    };
  }
  const delayMs = restartDelay(exit, unstableRestarts, history.lastDelayMs, policy);
  return { action: 'restart', delayMs, history: { unstableRestarts, lastDelayMs: delayMs } };
}

function restartDelay(exit: ExitFacts, unstableRestarts: number, lastDelayMs: number, policy: RestartPolicy): number {
  if (policy.exp_backoff_restart_delay > 0) {
    if (exit.uptimeMs >= PM2_BACKOFF_RESET_MS || lastDelayMs === 0) return policy.exp_backoff_restart_delay;
    return Math.min(Math.round(lastDelayMs * PM2_BACKOFF_FACTOR), PM2_BACKOFF_MAX_MS);
  }
  if (policy.restart_delay > 0) return policy.restart_delay;
  if (unstableRestarts <= 1) return 0;
  return Math.min(DEFAULT_BACKOFF_START_MS * 2 ** (unstableRestarts - 2), DEFAULT_BACKOFF_MAX_MS);
}

export function describeExit(exit: Pick<ExitFacts, 'code' | 'signal' | 'error'>): string {
  if (exit.error) return `could not start: ${exit.error}`;
  if (exit.signal) return `killed by ${exit.signal}`;
  return `exited with code ${exit.code ?? 'unknown'}`;
}
