import { describe, expect, it } from 'vitest';
import { expiredFiles, nextRotation } from './rotation-schedule.js';

describe('nextRotation', () => {
  const now = new Date(2026, 4, 17, 13, 45, 10).getTime();
  it('daily: the next local midnight; hourly: the next hour', () => {
    expect(nextRotation('daily', now)).toBe(new Date(2026, 4, 18).getTime());
    expect(nextRotation('hourly', now)).toBe(new Date(2026, 4, 17, 14).getTime());
  });
  it('a cron expression: its next run', () => {
    expect(nextRotation('30 2 * * *', now)).toBe(new Date(2026, 4, 18, 2, 30).getTime());
    expect(nextRotation('*/5 * * * * *', now)).toBe(new Date(2026, 4, 17, 13, 45, 15).getTime());
  });
  it('none without an interval', () => {
    expect(nextRotation(null, now)).toBeNull();
  });
});

describe('expiredFiles', () => {
  it('names the rotated files older than the age; 0 keeps all', () => {
    const files = [
      { name: 'a.log.1', mtimeMs: 9_000 },
      { name: 'a.log.2.gz', mtimeMs: 1_000 },
    ];
    expect(expiredFiles(files, 10_000, 5_000)).toEqual(['a.log.2.gz']);
    expect(expiredFiles(files, 10_000, 0)).toEqual([]);
  });
});
