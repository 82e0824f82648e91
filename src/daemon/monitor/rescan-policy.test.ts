import { describe, expect, it } from 'vitest';
import { afterPass, FIRST_SCAN, RESCAN_GAP, type RescanState, scanDue } from './rescan-policy.js';

/** The passes that scan, over `passes` passes, when the trees never change (or change at the given passes). */
function scans(passes: number, opts: { limited?: boolean; changedAt?: number[] } = {}): number[] {
  let state: RescanState = FIRST_SCAN;
  const out: number[] = [];
  for (let pass = 1; pass <= passes; pass++) {
    const due = scanDue(state, false);
    if (due) out.push(pass);
    state = afterPass(state, due ? { changed: opts.changedAt?.includes(pass) ?? false, limited: opts.limited ?? false } : null);
  }
  return out;
}

describe('the monitor rescan policy', () => {
  it('scans on the first pass, then less and less often while nothing changes, never rarer than every 60 passes', () => {
    expect(scans(200)).toEqual([1, 21, 61, 121, 181]);
  });

  it('comes back to every 10 passes after a change', () => {
    expect(scans(100, { changedAt: [61] })).toEqual([1, 21, 61, 71, 91]);
  });

  it('keeps every 10 passes while an instance has a memory limit', () => {
    expect(scans(45, { limited: true })).toEqual([1, 11, 21, 31, 41]);
  });

  it('scans at once for a main process no scan has seen', () => {
    expect(scanDue({ since: 1, gap: RESCAN_GAP.max }, true)).toBe(true);
    expect(scanDue({ since: 1, gap: RESCAN_GAP.max }, false)).toBe(false);
  });
});
