import type { ProcessDescription } from '../../protocol/messages.js';
import type { App } from './app.js';
import type { Instance } from '../instance/instance.js';

/** Everything `sup describe` shows about one instance: its state, its app's config, its resources and triggers. */
export function describeProcess(app: App, instance: Instance, monitorIntervalMs: number): ProcessDescription {
  const info = instance.info();
  const metrics = instance.resources.metrics;
  return {
    ...info,
    config: app.config,
    logs: app.logPaths(instance.index),
    created_at: instance.createdAt,
    started_at: instance.startedAt,
    next_restart_at: instance.nextRestartAt,
    triggers: app.triggers.info(),
    exits: instance.exits.recent,
    hook_failures: app.hookFailures(),
    monitor: {
      cpu: instance.resources.samples.stats('cpu', info.cpu),
      memory: instance.resources.samples.stats('memory', info.memory),
      main_cpu: instance.isRunning() ? (metrics?.mainCpu ?? null) : null,
      main_memory: instance.isRunning() ? (metrics?.mainMemory ?? null) : null,
      memory_limit: app.config.max_memory_restart,
      interval_ms: monitorIntervalMs,
    },
  };
}
