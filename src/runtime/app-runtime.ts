import { takeRuntimeEnv } from '../env.js';
import { type FromWorker, WORKER_TAG } from '../protocol/worker.js';
import { startRuntimeReports } from './runtime-report.js';
import { installWatchdog } from './watchdog.js';

/**
 * Loaded (with --import) into every forked Node app before its code: says when that code starts (so that a slow
 * start on a loaded machine does not count against min_uptime) and, when asked, runs the watchdog.
 */
export function installAppRuntime(): void {
  const asked = takeRuntimeEnv(process.env);
  if (!asked.active) return;
  announceRunning();
  startRuntimeReports();
  installWatchdog(asked.watchdogMs);
}

/** One IPC message, once, from the main thread (the preload also runs in the app's worker threads). */
export function announceRunning(): void {
  if (!process.send || !process.connected) return;
  const message: FromWorker = { [WORKER_TAG]: 'running' };
  process.send(message, undefined, {}, () => undefined);
}
