import { readdirSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { expiredFiles } from './rotation-schedule.js';

/** `log_max_age`: deletes the rotated files of `path` (path.1, path.2.gz, …) last written longer ago than maxAgeMs. */
export function removeExpired(path: string, maxAgeMs: number, now = Date.now()): void {
  if (maxAgeMs <= 0) return;
  const dir = dirname(path);
  const rotated = new RegExp(`^${basename(path).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.\\d+(\\.gz)?$`);
  const files = readdirSync(dir)
    .filter((name) => rotated.test(name))
    .flatMap((name) => {
      const stat = statSync(join(dir, name), { throwIfNoEntry: false });
      return stat ? [{ name: join(dir, name), mtimeMs: stat.mtimeMs }] : [];
    });
  for (const name of expiredFiles(files, now, maxAgeMs)) rmSync(name, { force: true });
}
