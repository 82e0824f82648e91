import type { ProcessInfo } from './process-info.js';

/** A ProcessInfo for unit tests: an online fork-mode instance "api" (id 0, pid 100); `over` sets what a test needs. */
export function processInfo(over: Partial<ProcessInfo> = {}): ProcessInfo {
  return {
    id: 0,
    name: 'api',
    namespace: 'default',
    instance: 0,
    pid: 100,
    status: 'online',
    mode: 'fork',
    restarts: 0,
    unstable_restarts: 0,
    uptime: 5000,
    cpu: 1,
    memory: 1024,
    exit_code: null,
    exit_signal: null,
    status_reason: null,
    restart_reason: null,
    health: null,
    runtime: null,
    ...over,
  };
}
