import { describe, expect, it } from 'vitest';
import { LoginLimiter } from './login-limiter.js';

describe('LoginLimiter', () => {
  it('refuses an address after 5 wrong tokens within a minute, and lets it try again after', () => {
    const limiter = new LoginLimiter(5, 60_000);
    for (let i = 0; i < 5; i++) {
      expect(limiter.allows('a', 1000 + i)).toBe(true);
      limiter.failed('a', 1000 + i);
    }
    expect(limiter.allows('a', 2000)).toBe(false);
    expect(limiter.retryAfter('a', 2000)).toBe(59);
    expect(limiter.allows('b', 2000)).toBe(true);
    expect(limiter.allows('a', 61_001)).toBe(true);
  });
});
