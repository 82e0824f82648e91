/** When a webhook is tried again, pure: a few retries, doubling delays, only for failures that may pass. */

export interface RetryPolicy {
  retries: number;
  baseMs: number;
  maxMs: number;
}

export const WEBHOOK_RETRY: RetryPolicy = { retries: 3, baseMs: 500, maxMs: 8000 };

/** What one attempt gave: a status code, or no answer at all (refused, reset, timed out). */
export type Attempt = { kind: 'status'; status: number } | { kind: 'no-answer'; error: string };

export type RetryDecision = { action: 'done' } | { action: 'retry'; delayMs: number } | { action: 'give-up'; error: string };

/** attempt counts from 1. A 4xx other than 408 and 429 will not get better by asking again. */
export function decideRetry(result: Attempt, attempt: number, policy: RetryPolicy): RetryDecision {
  if (result.kind === 'status' && result.status >= 200 && result.status < 300) return { action: 'done' };
  const error = result.kind === 'status' ? `HTTP ${result.status}` : result.error;
  const permanent = result.kind === 'status' && result.status < 500 && result.status !== 408 && result.status !== 429;
  if (permanent || attempt > policy.retries) {
    return { action: 'give-up', error: attempt > 1 ? `${error} (after ${attempt} attempts)` : error };
  }
  return { action: 'retry', delayMs: Math.min(policy.baseMs * 2 ** (attempt - 1), policy.maxMs) };
}
