import { describe, expect, it } from 'vitest';
import { admit, type RateWindow, summaryOf } from './rate-limit.js';

const policy = { burst: 3, windowMs: 60_000 };

/** Feeds events at the given times; returns which were sent and the last window. */
function feed(times: number[]): { sent: number[]; window: RateWindow | undefined } {
  let window: RateWindow | undefined;
  const sent: number[] = [];
  for (const t of times) {
    const a = admit(window, t, policy);
    window = a.window;
    if (a.send) sent.push(t);
  }
  return { sent, window };
}

describe('hook rate limit', () => {
  it('lets a burst through and holds the rest of a crash loop back, counted', () => {
    const { sent, window } = feed(Array.from({ length: 50 }, (_, i) => i * 100));
    expect(sent).toEqual([0, 100, 200]);
    expect(window).toEqual({ start: 0, sent: 3, suppressed: 47 });
    expect(summaryOf(window!, 'crash', 'api', policy)).toBe(
      '47 more crash event(s) of api within 60 s were not sent (rate limit: 3 per 60 s)',
    );
  });

  it('opens a new window once the last one is over', () => {
    const { sent } = feed([0, 1, 2, 3, 60_000, 60_001]);
    expect(sent).toEqual([0, 1, 2, 60_000, 60_001]);
    expect(admit(undefined, 5, policy)).toMatchObject({ send: true, opened: true });
    expect(admit({ start: 0, sent: 1, suppressed: 0 }, 5, policy)).toMatchObject({ send: true, opened: false });
  });

  it('owes no summary when nothing was held back', () => {
    expect(summaryOf({ start: 0, sent: 2, suppressed: 0 }, 'crash', 'api', policy)).toBeNull();
  });
});
