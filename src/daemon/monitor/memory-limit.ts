/** The memory-limit decision, pure: whether an instance's tree RSS calls for a restart. */

export type LimitDecision = { action: 'none' } | { action: 'restart'; reason: string };

export function checkMemoryLimit(memoryBytes: number | null, limitBytes: number | null, restartInProgress: boolean): LimitDecision {
  if (limitBytes === null || memoryBytes === null || restartInProgress) return { action: 'none' };
  if (memoryBytes <= limitBytes) return { action: 'none' };
  return { action: 'restart', reason: `memory limit ${megabytes(limitBytes)} exceeded: ${beyond(memoryBytes, limitBytes)}` };
}

/** The figure with as many decimals as it takes to read above the limit (100.3 MB, not "100 MB exceeded: 100 MB"). */
function beyond(memoryBytes: number, limitBytes: number): string {
  const [mb, limit] = [memoryBytes / 1024 / 1024, limitBytes / 1024 / 1024];
  const shown = megabytes(memoryBytes);
  if (Number.parseFloat(shown) > limit) return shown;
  for (let digits = 1; digits <= 9; digits++) if (Number(mb.toFixed(digits)) > limit) return `${mb.toFixed(digits)} MB`;
  return `${mb} MB`;
}

/** PM2's units: M means 1024², shown as "MB". */
export function megabytes(bytes: number): string {
  const mb = bytes / 1024 / 1024;
  return `${mb >= 100 ? Math.round(mb) : Math.round(mb * 10) / 10} MB`;
}
