import type { ProcessInfo, Status } from '../protocol/messages.js';

/** What /metrics says about the daemon itself. */
export interface DaemonFigures {
  version: string;
  pid: number;
  uptimeMs: number;
  /** Resident memory of the daemon process, when readable. */
  memoryBytes: number | null;
  connected: boolean;
}

const STATUSES: readonly Status[] = ['launching', 'online', 'stopping', 'stopped', 'waiting-restart', 'errored', 'completed', 'failed'];
const HEALTH = ['starting', 'healthy', 'unhealthy'] as const;

type Family = { name: string; type: 'gauge' | 'counter'; help: string; lines: string[] };

/** Escapes a label value as the text exposition format requires. */
export function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/**
 * The Prometheus text exposition (version 0.0.4) of a process list, built from what the web server already holds:
 * one series per instance, labelled app, id, instance, namespace.
 */
export function renderMetrics(
  processes: readonly ProcessInfo[],
  daemon: DaemonFigures,
  memoryLimitRestarts: (id: number) => number = () => 0,
): string {
  const families = new Map<string, Family>();
  const add = (name: string, type: Family['type'], help: string, labels: string, value: number) => {
    let family = families.get(name);
    if (!family) families.set(name, (family = { name, type, help, lines: [] }));
    family.lines.push(`${name}{${labels}} ${Number.isFinite(value) ? value : 0}`);
  };
  for (const p of processes) {
    const l = `app="${escapeLabel(p.name)}",id="${p.id}",instance="${p.instance}",namespace="${escapeLabel(p.namespace)}"`;
    for (const s of STATUSES)
      add('sup_process_status', 'gauge', 'Status of the instance: 1 for the current one.', `${l},status="${s}"`, p.status === s ? 1 : 0);
    add('sup_process_up', 'gauge', 'Whether the instance is online.', l, p.status === 'online' ? 1 : 0);
    add('sup_process_restarts_total', 'counter', 'Restarts of the instance, automatic or requested.', l, p.restarts);
    add(
      'sup_process_memory_limit_restarts_total',
      'counter',
      'Restarts for max_memory_restart seen by sup web since it started.',
      l,
      memoryLimitRestarts(p.id),
    );
    add('sup_process_unstable_restarts', 'gauge', 'Crashes in a row within min_uptime.', l, p.unstable_restarts);
    add('sup_process_uptime_seconds', 'gauge', 'Time since the current process started (0 when none runs).', l, p.uptime / 1000);
    if (p.pid !== null) add('sup_process_pid', 'gauge', 'Process id of the instance.', l, p.pid);
    if (p.cpu !== null) add('sup_process_cpu_ratio', 'gauge', 'CPU of the process tree, in cores (1 = one core busy).', l, p.cpu / 100);
    if (p.memory !== null) add('sup_process_memory_bytes', 'gauge', 'Resident memory of the process tree.', l, p.memory);
    if (p.health) {
      for (const h of HEALTH)
        add(
          'sup_process_health_status',
          'gauge',
          'Health check state: 1 for the current one.',
          `${l},health="${h}"`,
          p.health.status === h ? 1 : 0,
        );
      add('sup_process_health_failures', 'gauge', 'Health check failures in a row.', l, p.health.failures);
      if (p.health.last)
        add('sup_process_health_latency_seconds', 'gauge', 'Latency of the last health check.', l, p.health.last.latency_ms / 1000);
    }
    if (p.runtime) {
      add('sup_nodejs_eventloop_delay_seconds', 'gauge', 'Mean event-loop delay over the last report.', l, p.runtime.loop_delay_ms / 1000);
      add(
        'sup_nodejs_eventloop_delay_max_seconds',
        'gauge',
        'Worst event-loop delay over the last report.',
        l,
        p.runtime.loop_delay_max_ms / 1000,
      );
      add('sup_nodejs_heap_used_bytes', 'gauge', 'V8 heap in use.', l, p.runtime.heap_used);
      add('sup_nodejs_heap_total_bytes', 'gauge', 'V8 heap reserved.', l, p.runtime.heap_total);
    }
  }
  const d = `version="${escapeLabel(daemon.version)}"`;
  add('sup_daemon_up', 'gauge', 'Whether the web server is connected to the sup daemon.', d, daemon.connected ? 1 : 0);
  add('sup_daemon_uptime_seconds', 'gauge', 'Time since the sup daemon started.', d, daemon.uptimeMs / 1000);
  add('sup_daemon_pid', 'gauge', 'Process id of the sup daemon.', d, daemon.pid);
  if (daemon.memoryBytes !== null) add('sup_daemon_memory_bytes', 'gauge', 'Resident memory of the sup daemon.', d, daemon.memoryBytes);
  add('sup_processes', 'gauge', 'Instances the daemon manages.', d, processes.length);
  let text = '';
  for (const f of families.values()) text += `# HELP ${f.name} ${f.help}\n# TYPE ${f.name} ${f.type}\n${f.lines.join('\n')}\n`;
  return text;
}
