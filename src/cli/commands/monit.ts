import { resolvePaths } from '../../paths.js';
import { SupError } from '../../errors.js';

/** `sup monit`: the terminal dashboard. */
export async function run(): Promise<void> {
  if (!process.stdout.isTTY || !process.stdin.isTTY) {
    throw new SupError('USAGE', 'monit needs a terminal; for scripts use `sup list --json` or `sup logs`');
  }
  const { runDashboard } = await import('../../tui/dashboard.js');
  await runDashboard(resolvePaths());
}
