import { isAbsolute, relative, resolve, sep } from 'node:path';
import { isRotatedSibling } from '../../logs/rotation.js';
import picomatch from 'picomatch';

export interface WatchMatcher {
  /** Directories or files to hand to the file watcher. */
  roots: string[];
  /** Never watched, never a trigger (checked for every path the watcher meets). */
  isIgnored(path: string): boolean;
  /** Whether a change at this path should restart the app (globs narrow their roots). */
  isTrigger(path: string): boolean;
}

/**
 * What an app's watch settings mean, decided without touching the disk.
 * - watch entries are absolute paths or globs; a glob is watched from its static base.
 * - an ignore entry that is a bare name (node_modules, .git) matches that name at any depth;
 *   anything else is a glob relative to cwd, matching the path and everything under it.
 * - `alwaysIgnored` are paths ignored with everything under them and their rotated siblings (`out.log.1`,
 *   `out.log.2.gz`): SUP_HOME and the app's own log files, so that logging never restarts the app.
 */
export function watchMatcher(
  watch: readonly string[],
  ignore: readonly string[],
  cwd: string,
  alwaysIgnored: readonly string[],
): WatchMatcher {
  const roots: string[] = [];
  const triggers: ((path: string) => boolean)[] = [];
  for (const entry of watch) {
    const scan = picomatch.scan(entry);
    if (scan.isGlob) {
      roots.push(scan.base || sep);
      triggers.push(picomatch(entry, { dot: true }));
    } else {
      roots.push(entry);
      triggers.push((p) => p === entry || p.startsWith(entry.endsWith(sep) ? entry : entry + sep));
    }
  }
  const names = new Set(ignore.filter((p) => !p.includes('/') && !picomatch.scan(p).isGlob));
  const globs = ignore
    .filter((p) => !names.has(p))
    .map((p) => (isAbsolute(p) ? p : resolve(cwd, p)))
    .map((p) => picomatch([p, `${p}/**`], { dot: true }));
  const under = (path: string, dir: string) => path === dir || path.startsWith(dir.endsWith(sep) ? dir : dir + sep);
  // Bare names count only below the deepest watch root holding the path, so that a root inside some
  // ".git" parent, or a watched node_modules/pkg listed beside its app, still works.
  const deepestFirst = [...roots].sort((a, b) => b.length - a.length);
  const segmentsBelowRoot = (path: string) => {
    const root = deepestFirst.find((r) => under(path, r));
    return root ? relative(root, path).split(sep) : [];
  };
  // A file's rotated siblings are exactly what rotation names them: file.1, file.2.gz, file.rotating-<pid>-<n>.
  const own = (path: string, file: string) => under(path, file) || isRotatedSibling(file, path);

  const isIgnored = (path: string) =>
    alwaysIgnored.some((file) => own(path, file)) ||
    (names.size > 0 && segmentsBelowRoot(path).some((segment) => names.has(segment))) ||
    globs.some((match) => match(path));
  return { roots, isIgnored, isTrigger: (path) => !isIgnored(path) && triggers.some((t) => t(path)) };
}
