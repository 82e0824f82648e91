import { watchdogMs } from '../env.js';
import { installWatchdog } from './watchdog.js';

/** Loaded (with --import) into fork-mode Node apps that use one of its features: today the watchdog. */
export function installAppRuntime(): void {
  installWatchdog(watchdogMs(process.env));
}
