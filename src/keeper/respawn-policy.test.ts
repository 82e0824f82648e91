import { describe, expect, it } from 'vitest';
import { decideRespawn } from './respawn-policy.js';

const before = (now: number, ...seconds: number[]) => seconds.map((s) => now - s * 1000);

describe('decideRespawn', () => {
  it('starts a new daemon at once the first three times in a minute: the apps wait for it', () => {
    const now = 100_000;
    expect(decideRespawn([], now)).toEqual({ action: 'respawn', delayMs: 0 });
    expect(decideRespawn(before(now, 1), now)).toEqual({ action: 'respawn', delayMs: 0 });
    expect(decideRespawn(before(now, 2, 1), now)).toEqual({ action: 'respawn', delayMs: 0 });
  });

  it('then backs off, doubling from 250 ms up to 5 s, and gives up after ten deaths in a minute', () => {
    const now = 100_000;
    expect(decideRespawn(before(now, 3, 2, 1), now)).toEqual({ action: 'respawn', delayMs: 250 });
    expect(decideRespawn(before(now, 4, 3, 2, 1), now)).toEqual({ action: 'respawn', delayMs: 500 });
    expect(decideRespawn(before(now, 9, 8, 7, 6, 5, 4, 3, 2, 1), now)).toEqual({ action: 'respawn', delayMs: 5000 });
    expect(decideRespawn(before(now, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1), now)).toMatchObject({
      action: 'give-up',
      reason: expect.stringMatching(/the apps keep running/),
    });
  });

  it('forgets deaths older than a minute', () => {
    const now = 1_000_000;
    expect(decideRespawn(before(now, 61, 62, 63, 64, 65, 66, 67, 68, 69, 70), now)).toEqual({ action: 'respawn', delayMs: 0 });
  });
});
