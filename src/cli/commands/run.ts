import { runDaemon } from '../../daemon/main.js';
import { shellEnv, warn } from '../session.js';
import { loadTargets, type StartArgs } from './start.js';

/**
 * `sup run` (and `sup-runtime`): the supervisor in the foreground, for containers. No background daemon:
 * this process starts the apps, prints their output with prefixes, and stops them all on SIGTERM.
 * The control socket still answers, so that `sup list` and a `sup ping` probe work inside the container.
 */
export async function run(args: StartArgs): Promise<void> {
  const loaded = await loadTargets(args);
  loaded.warnings.forEach(warn);
  if (process.pid === 1) {
    warn(
      'running as PID 1: Node cannot reap orphaned processes it did not start; use `sup-runtime` (a shell stays PID 1 and reaps them) or `docker run --init`',
    );
  }
  // Output goes to this process's stdout and stderr; a file only where the configuration names one.
  const apps = loaded.apps.map((app) => ({ ...app, out_file: app.out_file ?? '/dev/null', error_file: app.error_file ?? '/dev/null' }));
  await runDaemon({ kind: 'foreground', apps, env: shellEnv() });
}
