import { describe, expect, it } from 'vitest';
import { DEFAULT_LOG_DATE_FORMAT, formatDate } from './date-format.js';

// Local time: 2024-01-05 07:08:09.045 wherever the test runs.
const date = new Date(2024, 0, 5, 7, 8, 9, 45);

/** Runs `fn` with the process in another time zone (Node picks up a TZ change at once). */
function inZone<T>(zone: string, fn: () => T): T {
  const before = process.env.TZ;
  process.env.TZ = zone;
  try {
    return fn();
  } finally {
    if (before === undefined) delete process.env.TZ;
    else process.env.TZ = before;
  }
}

describe('formatDate', () => {
  it('fills each token with zero-padded local time', () => {
    expect(formatDate(date, 'YYYY')).toBe('2024');
    expect(formatDate(date, 'MM')).toBe('01');
    expect(formatDate(date, 'DD')).toBe('05');
    expect(formatDate(date, 'HH')).toBe('07');
    expect(formatDate(date, 'mm')).toBe('08');
    expect(formatDate(date, 'ss')).toBe('09');
    expect(formatDate(date, 'SSS')).toBe('045');
  });

  it('keeps everything that is not a token as it is', () => {
    expect(formatDate(date, 'YYYY-MM-DD HH:mm:ss.SSS')).toBe('2024-01-05 07:08:09.045');
    expect(formatDate(date, '[DD/MM/YYYY] at HH.mm')).toBe('[05/01/2024] at 07.08');
    expect(formatDate(date, 'no tokens here')).toBe('no tokens here');
  });

  it('writes the last moment of a year in 24-hour time', () => {
    const late = new Date(2023, 11, 31, 23, 59, 58, 999);
    expect(formatDate(late, 'YYYY-MM-DD HH:mm:ss.SSS')).toBe('2023-12-31 23:59:58.999');
  });

  it('writes the zone offset for Z as ±HH:mm, including half hours and negative offsets', () => {
    const at = new Date(Date.UTC(2024, 0, 15, 12, 0, 0));
    expect(inZone('UTC', () => formatDate(at, 'HH:mm Z'))).toBe('12:00 +00:00');
    expect(inZone('Asia/Kolkata', () => formatDate(at, 'HH:mm Z'))).toBe('17:30 +05:30');
    expect(inZone('America/St_Johns', () => formatDate(at, 'HH:mm Z'))).toBe('08:30 -03:30');
    expect(inZone('America/New_York', () => formatDate(at, 'YYYY-MM-DD HH:mm Z'))).toBe('2024-01-15 07:00 -05:00');
  });

  it('crosses the date line in local time', () => {
    const at = new Date(Date.UTC(2024, 11, 31, 23, 30, 0));
    expect(inZone('Asia/Tokyo', () => formatDate(at, 'YYYY-MM-DD HH:mm Z'))).toBe('2025-01-01 08:30 +09:00');
  });

  it('gives `time: true` an ISO 8601 stamp that parses back to the same instant', () => {
    const at = new Date(Date.UTC(2024, 6, 1, 3, 4, 5, 6));
    for (const zone of ['UTC', 'Asia/Kolkata', 'America/St_Johns', 'Pacific/Auckland']) {
      const stamp = inZone(zone, () => formatDate(at, DEFAULT_LOG_DATE_FORMAT));
      expect(stamp).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}[+-]\d{2}:\d{2}$/);
      expect(Date.parse(stamp)).toBe(at.getTime());
    }
  });
});
