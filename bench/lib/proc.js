import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { cpuSeconds } from '../../test/harness/proc.js';
import { cleaningUp, running } from '../../test/harness/run.js';
import { sleep } from '../../test/harness/wait.js';

/** Starts a long-running child (a load generator, a bare cluster) that the run's cleanup ends by pid if the bench does not. */
export function spawnTracked(command, args, options = {}) {
  if (cleaningUp()) throw new Error(`not starting ${args.join(' ')}: cleaning up`);
  const child = spawn(command, args, { stdio: 'ignore', ...options });
  running.add(child.pid);
  child.once('exit', () => running.delete(child.pid));
  return child;
}

/** CPU% of a process over `ms` of wall time (100 = one core busy). */
export async function cpuPercentOver(pid, ms) {
  const cpu0 = cpuSeconds(pid);
  const t0 = performance.now();
  await sleep(ms);
  return ((cpuSeconds(pid) - cpu0) / ((performance.now() - t0) / 1000)) * 100;
}
