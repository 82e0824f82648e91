import { chmodSync, mkdirSync, statSync } from 'node:fs';
import { SupError } from './errors.js';

/**
 * Creates SUP_HOME 0700, or checks an existing one: it holds the control socket and the logs,
 * so a home that others can write to or that belongs to someone else is refused.
 */
export function ensureHome(home: string): void {
  mkdirSync(home, { recursive: true, mode: 0o700 });
  const stat = statSync(home);
  if (!stat.isDirectory()) throw new SupError('UNSAFE_HOME', `SUP_HOME ${home} is not a directory`);
  if (typeof process.getuid === 'function' && stat.uid !== process.getuid()) {
    throw new SupError(
      'UNSAFE_HOME',
      `SUP_HOME ${home} belongs to uid ${stat.uid}, not to you (uid ${process.getuid()}); use your own SUP_HOME`,
    );
  }
  if ((stat.mode & 0o022) !== 0) {
    throw new SupError(
      'UNSAFE_HOME',
      `SUP_HOME ${home} is writable by others (mode ${(stat.mode & 0o777).toString(8)}); run \`chmod 700 ${home}\` and try again`,
    );
  }
  // A home made by hand with 0755 would let others read the logs; tighten it, since nothing else should need it.
  if ((stat.mode & 0o077) !== 0) chmodSync(home, 0o700);
}
