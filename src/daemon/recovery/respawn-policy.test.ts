import { describe, expect, it } from 'vitest';
import { decideRespawn, parseRespawns } from './respawn-policy.js';

describe('decideRespawn', () => {
  it('starts a new daemon at once the first time', () => {
    expect(decideRespawn([], 1000)).toEqual({ action: 'respawn', delayMs: 0 });
  });

  it('backs off when it keeps dying, and gives up after 5 deaths in a minute', () => {
    const now = 100_000;
    expect(decideRespawn([now - 1000], now)).toEqual({ action: 'respawn', delayMs: 100 });
    expect(decideRespawn([now - 3000, now - 2000, now - 1000], now)).toEqual({ action: 'respawn', delayMs: 400 });
    expect(
      decideRespawn(
        [1, 2, 3, 4, 5].map((k) => now - k * 1000),
        now,
      ),
    ).toMatchObject({ action: 'give-up' });
  });

  it('forgets deaths older than a minute', () => {
    const now = 1_000_000;
    expect(
      decideRespawn(
        [1, 2, 3, 4, 5].map((k) => now - 61_000 - k),
        now,
      ),
    ).toEqual({ action: 'respawn', delayMs: 0 });
  });

  it('reads the history it was handed, ignoring anything that is not a time', () => {
    expect(parseRespawns('1700000000000,1700000001000')).toEqual([1700000000000, 1700000001000]);
    expect(parseRespawns(undefined)).toEqual([]);
    expect(parseRespawns('x,,-3')).toEqual([]);
  });
});
