import type { ProcessInfo } from '../../protocol/messages.js';
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
  return renderTable(
    HEADERS.map((h) => paint(h, 'bold', color)),
    rows,
  );
}
