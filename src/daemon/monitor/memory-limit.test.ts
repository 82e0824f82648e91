import { describe, expect, it } from 'vitest';
import { checkMemoryLimit, megabytes } from './memory-limit.js';

const MB = 1024 * 1024;

describe('checkMemoryLimit', () => {
  it('does nothing without a limit, however large the memory', () => {
    expect(checkMemoryLimit(10_000 * MB, null, false)).toEqual({ action: 'none' });
  });

  it('does nothing under the limit', () => {
    expect(checkMemoryLimit(99 * MB, 100 * MB, false)).toEqual({ action: 'none' });
  });

  it('does nothing at exactly the limit: only going over it counts', () => {
    expect(checkMemoryLimit(100 * MB, 100 * MB, false)).toEqual({ action: 'none' });
  });

  it('restarts one byte over the limit', () => {
    expect(checkMemoryLimit(100 * MB + 1, 100 * MB, false).action).toBe('restart');
  });

  it('restarts over the limit, saying the limit and the figure seen', () => {
    expect(checkMemoryLimit(132 * MB, 100 * MB, false)).toEqual({ action: 'restart', reason: 'memory limit 100 MB exceeded: 132 MB' });
  });

  it('does not ask again while a restart is in progress, so one crossing makes one restart', () => {
    expect(checkMemoryLimit(500 * MB, 100 * MB, true)).toEqual({ action: 'none' });
  });

  it('does nothing when no figure is known yet', () => {
    expect(checkMemoryLimit(null, 100 * MB, false)).toEqual({ action: 'none' });
  });

  it('shows a figure just over the limit with the decimals that make it read over it', () => {
    expect(checkMemoryLimit(100.3 * MB, 100 * MB, false)).toEqual({ action: 'restart', reason: 'memory limit 100 MB exceeded: 100.3 MB' });
    expect(checkMemoryLimit(100.004 * MB, 100 * MB, false)).toEqual({
      action: 'restart',
      reason: 'memory limit 100 MB exceeded: 100.004 MB',
    });
  });

  it('shows small limits with a decimal', () => {
    expect(checkMemoryLimit(12 * MB, 10.5 * MB, false)).toEqual({ action: 'restart', reason: 'memory limit 10.5 MB exceeded: 12 MB' });
  });
});

describe('megabytes', () => {
  it.each<[number, string]>([
    [0, '0 MB'],
    [100 * MB, '100 MB'],
    [132 * MB, '132 MB'],
    [132.4 * MB, '132 MB'], // from 100 MB on, whole megabytes
    [132.6 * MB, '133 MB'],
    [99.94 * MB, '99.9 MB'], // below 100 MB, one decimal
    [99.96 * MB, '100 MB'],
    [12.34 * MB, '12.3 MB'],
    [512 * 1024, '0.5 MB'],
    [1024 * MB, '1024 MB'], // 1G stays in MB, as PM2 shows it
    [200 * 1000 * 1000, '191 MB'], // M means 1024², so 200 000 000 bytes is 191 MB
  ])('shows %d bytes as %s', (bytes, text) => {
    expect(megabytes(bytes)).toBe(text);
  });
});
