import type { HealthInfo, ProcessInfo } from '../../protocol/messages.js';
import { formatBytes, formatCpu, formatDuration, renderTable } from './format.js';
import { STATUS_COLOR, paint } from './style.js';

const HEADERS = ['id', 'name', 'mode', 'pid', 'status', 'restarts', 'uptime', 'cpu', 'memory'];

export function renderProcessTable(processes: readonly ProcessInfo[], color: boolean): string {
  if (processes.length === 0) return 'no apps are managed by sup; start one with `sup start app.js`';
  const rows = processes.map((p) => [
    String(p.id),
    paint(p.name, 'bold', color),
    p.mode,
    p.pid === null ? '-' : String(p.pid),
    paint(p.status, STATUS_COLOR[p.status], color),
    String(p.restarts),
    p.uptime > 0 ? formatDuration(p.uptime) : '-',
    formatCpu(p.cpu),
    formatBytes(p.memory),
  ]);
  // The health column only when some app has a health check: other tables stay as they were.
  const withHealth = processes.some((p) => p.health !== null);
  const headers = withHealth ? [...HEADERS, 'health'] : HEADERS;
  if (withHealth) rows.forEach((row, i) => row.push(formatHealth(processes[i]!.health)));
  return renderTable(
    headers.map((h) => paint(h, 'bold', color)),
    rows,
  );
}

/** "healthy 3ms", "unhealthy ×3", "starting": the last result's status, latency and failures in a row. */
export function formatHealth(health: HealthInfo | null): string {
  if (health === null) return '-';
  if (health.status === 'healthy') return `healthy${health.last ? ` ${health.last.latency_ms}ms` : ''}`;
  return health.failures > 0 ? `${health.status} ×${health.failures}` : health.status;
}
