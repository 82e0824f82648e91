import { describe, expect, it } from 'vitest';
import { decideRespawn } from './respawn-policy.js';

const died = { code: null, signal: 'SIGKILL', ready: true };

describe('decideRespawn', () => {
  it('lets a daemon that stopped on request go', () => {
    expect(decideRespawn({ code: 0, signal: null, ready: true }, [], 0)).toMatchObject({ action: 'exit', code: 0 });
  });

  it('does not restart a daemon that failed before it was ready, and passes its code on', () => {
    expect(decideRespawn({ code: 3, signal: null, ready: false }, [], 0)).toMatchObject({ action: 'exit', code: 3 });
  });

  it('restarts a killed or crashed daemon at once the first time', () => {
    expect(decideRespawn(died, [], 1000)).toEqual({ action: 'respawn', delayMs: 0, reason: 'the daemon was killed by SIGKILL; starting a new one' });
    expect(decideRespawn({ code: 1, signal: null, ready: true }, [], 0)).toMatchObject({ action: 'respawn', delayMs: 0 });
  });

  it('backs off when it keeps dying, and gives up after 5 deaths in a minute', () => {
    const now = 100_000;
    expect(decideRespawn(died, [now - 1000], now)).toMatchObject({ delayMs: 100 });
    expect(decideRespawn(died, [now - 3000, now - 2000, now - 1000], now)).toMatchObject({ delayMs: 400 });
    expect(decideRespawn(died, [1, 2, 3, 4, 5].map((k) => now - k * 1000), now)).toMatchObject({ action: 'give-up' });
  });

  it('forgets deaths older than a minute', () => {
    const now = 1_000_000;
    expect(decideRespawn(died, [1, 2, 3, 4, 5].map((k) => now - 61_000 - k), now)).toMatchObject({ action: 'respawn', delayMs: 0 });
  });
});
