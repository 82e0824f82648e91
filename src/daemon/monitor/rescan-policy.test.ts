import { describe, expect, it } from 'vitest';
import { afterPass, FIRST_SCAN, maxGap, type RescanState, scanDue } from './rescan-policy.js';

/** The passes that scan, over `passes` passes, when the trees never change (or change at the given passes). */
function scans(passes: number, opts: { limited?: boolean; changedAt?: number[] } = {}): number[] {
  let state: RescanState = FIRST_SCAN;
  const out: number[] = [];
  for (let pass = 1; pass <= passes; pass++) {
    const due = scanDue(state, false);
    if (due) out.push(pass);
    state = afterPass(
      state,
      due ? { changed: opts.changedAt?.includes(pass) ?? false, limited: opts.limited ?? false } : null,
      maxGap(1000),
    );
  }
  return out;
}

describe('the monitor rescan policy', () => {
  it('scans on the first pass, then less and less often while nothing changes, never more than 30 s apart', () => {
    expect(scans(150)).toEqual([1, 21, 51, 81, 111, 141]);
    expect(maxGap(1000)).toBe(30);
    expect(maxGap(5000)).toBe(10);
    expect(maxGap(200)).toBe(150);
  });

  it('comes back to every 10 passes after a change', () => {
    expect(scans(100, { changedAt: [51] })).toEqual([1, 21, 51, 61, 81]);
  });

  it('keeps every 10 passes while an instance has a memory limit', () => {
    expect(scans(45, { limited: true })).toEqual([1, 11, 21, 31, 41]);
  });

  it('scans at once for a main process no scan has seen', () => {
    expect(scanDue({ since: 1, gap: 30 }, true)).toBe(true);
    expect(scanDue({ since: 1, gap: 30 }, false)).toBe(false);
  });
});
