import { loadCron } from '../cron.js';

/**
 * When a file rotated by time (`log_rotate_interval`) should next rotate, after `now` (ms), in local time:
 * "daily" at midnight, "hourly" on the hour, else the next run of a cron expression; null when never.
 */
export function nextRotation(interval: string | null, now: number): number | null {
  if (interval === null) return null;
  const at = new Date(now);
  if (interval === 'daily') return new Date(at.getFullYear(), at.getMonth(), at.getDate() + 1).getTime();
  if (interval === 'hourly') return new Date(at.getFullYear(), at.getMonth(), at.getDate(), at.getHours() + 1).getTime();
  const next = new (loadCron())(interval, { paused: true }).nextRun(at);
  return next ? next.getTime() : null;
}

/** Rotated files older than `maxAgeMs` (by their last write), to delete; 0 keeps every one (log_retain still counts). */
export function expiredFiles(files: readonly { name: string; mtimeMs: number }[], now: number, maxAgeMs: number): string[] {
  if (maxAgeMs <= 0) return [];
  return files.filter((f) => now - f.mtimeMs > maxAgeMs).map((f) => f.name);
}
