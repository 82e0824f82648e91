import type { HealthCheck } from '../../../config/app-config.js';
import type { HealthInfo } from '../../../protocol/messages.js';

/** One probe's outcome. */
export interface ProbeResult {
  ok: boolean;
  at: number;
  latency_ms: number;
  /** "HTTP 200", "connection refused", "exit code 1", "timed out after 5000 ms". */
  detail: string;
}

/** What a result changes: the new health, and the move it made (if any) for the instance to act on. */
export interface HealthStep {
  health: HealthInfo;
  became: 'healthy' | 'unhealthy' | null;
}

export const STARTING: HealthInfo = { status: 'starting', failures: 0, last: null };

/**
 * Docker's rules: one pass makes it healthy; `retries` failures in a row make it unhealthy, except that failures
 * within `start_period` of the process's start do not count (a pass there still makes it healthy).
 */
export function nextHealth(current: HealthInfo, result: ProbeResult, check: HealthCheck, runStartedAt: number): HealthStep {
  if (result.ok) {
    const health: HealthInfo = { status: 'healthy', failures: 0, last: result };
    return { health, became: current.status === 'healthy' ? null : 'healthy' };
  }
  const inStartPeriod = result.at - runStartedAt < check.start_period;
  if (inStartPeriod && current.status === 'starting') return { health: { ...current, last: result }, became: null };
  const failures = current.failures + 1;
  const unhealthy = failures >= check.retries;
  const status = unhealthy ? 'unhealthy' : current.status;
  return { health: { status, failures, last: result }, became: unhealthy && current.status !== 'unhealthy' ? 'unhealthy' : null };
}

/** The reason an unhealthy instance is marked and restarted with: the word "health" in it, and the last failure. */
export function unhealthyReason(health: HealthInfo, check: HealthCheck): string {
  const what = check.http !== null ? `http ${check.http}` : check.tcp !== null ? `tcp ${check.tcp}` : `command "${check.command}"`;
  return `health check (${what}) failed ${health.failures} time${health.failures === 1 ? '' : 's'} in a row: ${health.last?.detail ?? 'no result'}`;
}

// Before its first pass an instance is probed this often, so that readiness is seen soon after the app is up.
const STARTING_PROBE_MS = 250;

/**
 * When the next probe runs, and whether a failure now counts: an instance not yet healthy is probed often (for
 * readiness), but its failures count at most once per `interval`, so that a slow start is not judged faster than
 * a running app would be.
 */
export function probeSchedule(health: HealthInfo, check: HealthCheck): number {
  return health.status === 'starting' ? Math.min(check.interval, STARTING_PROBE_MS) : check.interval;
}

export function failureCounts(health: HealthInfo, check: HealthCheck, now: number, lastCountedAt: number): boolean {
  return health.status !== 'starting' || now - lastCountedAt >= check.interval;
}
