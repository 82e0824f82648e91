import { SUP_ENV, takeRuntimeEnv } from '../env.js';
import { WORKER_TAG, isWorkerControl, type FromWorker } from '../protocol/worker.js';
import { HttpDrain } from './http-drain.js';
import { announceRunning } from './app-runtime.js';
import { startRuntimeReports } from './runtime-report.js';
import { installProbePort } from './probe-port.js';
import { installWatchdog } from './watchdog.js';

/**
 * Loaded (with --import) into every cluster worker before the app. It hides sup's control
 * messages from the app's own `process.on('message')` listeners and drains HTTP servers on request.
 */
export function installWorkerRuntime(): void {
  const asked = takeRuntimeEnv(process.env);
  if (asked.active) {
    announceRunning();
    startRuntimeReports();
  }
  installWatchdog(asked.watchdogMs);
  if (asked.healthProbe) installProbePort();
  const drain = new HttpDrain();
  if (process.env[SUP_ENV.drainHttp] !== '0') drain.install();
  const emit = process.emit.bind(process) as (event: string, ...args: unknown[]) => boolean;
  process.emit = function (event: string, ...args: unknown[]) {
    const [message] = args;
    if (event === 'message' && isWorkerControl(message)) {
      const graceMs = 'graceMs' in message ? message.graceMs : 1000;
      void drain.drain(graceMs).then(() => {
        const reply: FromWorker = { [WORKER_TAG]: 'drained' };
        process.send?.(reply);
      });
      return true;
    }
    return emit(event, ...args);
  } as typeof process.emit;
}
