/**
 * How often the monitor scans the machine's whole process table to find each instance's tree (its children may have
 * started or ended since). A scan reads one /proc file per process on the machine, most of a monitor pass's cost: a
 * fleet whose trees have not changed is scanned less and less often (every 10 passes, doubling up to 30 s of passes),
 * a change brings it back to every 10. An instance with a memory limit keeps every 10, so that a child it starts counts
 * against the limit within seconds.
 */
export const RESCAN_GAP = { min: 10, maxMs: 30_000 } as const;

/** The longest gap in passes at this monitor interval: never more than 30 s between scans, never under the minimum. */
export function maxGap(intervalMs: number): number {
  return Math.max(RESCAN_GAP.min, Math.floor(RESCAN_GAP.maxMs / intervalMs));
}

export interface RescanState {
  /** Passes since the last scan. */
  since: number;
  /** Passes between scans now. */
  gap: number;
}

export const FIRST_SCAN: RescanState = { since: RESCAN_GAP.min, gap: RESCAN_GAP.min };

/** Whether this pass scans: its gap is over, or an instance has a main process no scan has seen yet. */
export function scanDue(state: RescanState, unseenRoot: boolean): boolean {
  return unseenRoot || state.since >= state.gap;
}

/** The state after a pass: after a scan, the next gap from whether the trees changed and whether any instance is limited. */
export function afterPass(state: RescanState, scanned: { changed: boolean; limited: boolean } | null, longest: number): RescanState {
  if (!scanned) return { ...state, since: state.since + 1 };
  const gap = scanned.changed || scanned.limited ? RESCAN_GAP.min : Math.min(state.gap * 2, longest);
  return { since: 1, gap };
}
