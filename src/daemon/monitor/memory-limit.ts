/** The memory-limit decision, pure: whether an instance's tree RSS calls for a restart. */

export type LimitDecision = { action: 'none' } | { action: 'restart'; reason: string };

export function checkMemoryLimit(memoryBytes: number | null, limitBytes: number | null, restartInProgress: boolean): LimitDecision {
  if (limitBytes === null || memoryBytes === null || restartInProgress) return { action: 'none' };
  if (memoryBytes <= limitBytes) return { action: 'none' };
  return { action: 'restart', reason: `memory limit ${megabytes(limitBytes)} exceeded: ${megabytes(memoryBytes)}` };
}

/** PM2's units: M means 1024², shown as "MB". */
export function megabytes(bytes: number): string {
  const mb = bytes / 1024 / 1024;
  return `${mb >= 100 ? Math.round(mb) : Math.round(mb * 10) / 10} MB`;
}
