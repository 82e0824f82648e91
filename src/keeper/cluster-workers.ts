import cluster, { type Worker } from 'node:cluster';
import type { SpawnSpec } from '../protocol/keeper.js';

/**
 * Forks one worker of a cluster app, the keeper being the primary of every cluster app: workers of the same app
 * (and, as under PM2, of apps on the same port) share their listening sockets, round-robin. Settings are set before
 * each fork, so apps never share a cwd or interpreter arguments.
 */
export function forkWorker(spec: Extract<SpawnSpec, { mode: 'cluster' }>): Worker {
  cluster.setupPrimary({
    exec: spec.file,
    args: spec.args,
    execArgv: spec.execArgv,
    cwd: spec.cwd,
    silent: true,
    uid: spec.uid,
    gid: spec.gid,
  });
  // cluster.fork puts the primary's own environment under the worker's: swapped out for the fork, so that only
  // the app's environment (the one the daemon computed) reaches it.
  const own = process.env;
  process.env = {};
  try {
    return cluster.fork(spec.env);
  } finally {
    process.env = own;
  }
}
