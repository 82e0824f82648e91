import { describe, expect, it } from 'vitest';
import { decideRetry, WEBHOOK_RETRY } from './retry.js';

const down = { kind: 'no-answer', error: 'connect ECONNREFUSED 127.0.0.1:9' } as const;

describe('webhook retries', () => {
  it('is done on a 2xx', () => {
    expect(decideRetry({ kind: 'status', status: 204 }, 1, WEBHOOK_RETRY)).toEqual({ action: 'done' });
  });

  it('retries a receiver that is down with doubling delays, then gives up saying how often it tried', () => {
    const decisions = [1, 2, 3, 4].map((attempt) => decideRetry(down, attempt, WEBHOOK_RETRY));
    expect(decisions).toEqual([
      { action: 'retry', delayMs: 500 },
      { action: 'retry', delayMs: 1000 },
      { action: 'retry', delayMs: 2000 },
      { action: 'give-up', error: 'connect ECONNREFUSED 127.0.0.1:9 (after 4 attempts)' },
    ]);
  });

  it('caps the delay', () => {
    expect(decideRetry(down, 9, { retries: 20, baseMs: 500, maxMs: 8000 })).toEqual({ action: 'retry', delayMs: 8000 });
  });

  it('retries 5xx, 408 and 429, and gives up at once on other 4xx', () => {
    expect(decideRetry({ kind: 'status', status: 503 }, 1, WEBHOOK_RETRY).action).toBe('retry');
    expect(decideRetry({ kind: 'status', status: 429 }, 1, WEBHOOK_RETRY).action).toBe('retry');
    expect(decideRetry({ kind: 'status', status: 408 }, 1, WEBHOOK_RETRY).action).toBe('retry');
    expect(decideRetry({ kind: 'status', status: 404 }, 1, WEBHOOK_RETRY)).toEqual({ action: 'give-up', error: 'HTTP 404' });
  });

  it('never retries with retries 0', () => {
    expect(decideRetry(down, 1, { ...WEBHOOK_RETRY, retries: 0 })).toMatchObject({ action: 'give-up' });
  });
});
