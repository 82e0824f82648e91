import { formatBytes, formatCpu, formatDuration } from '../cli/render/format.js';
import { formatHealth } from '../cli/render/process-table.js';
import type { ProcessInfo, Status } from '../protocol/messages.js';
import { sparkline } from './sparkline.js';
import type { MonitModel } from './view-model.js';

/**
 * What each part of the dashboard says, as text with blessed's {color-fg} tags. Pure: the same model,
 * size and time give the same screen, so the tests read it without a terminal.
 */

export interface Layout {
  table: number;
  info: number;
  logs: number;
}

/** Heights of the three panes between the title line and the footer; every pane keeps a few lines at 80×24. */
export function layout(height: number, rowCount: number): Layout {
  const middle = Math.max(height - 2, 9);
  const table = clamp(rowCount + 3, 5, Math.max(5, Math.floor(middle * 0.4)));
  const info = Math.max(4, Math.min(height >= 30 ? 12 : 8, middle - table - 5));
  return { table, info, logs: Math.max(3, middle - table - info) };
}

const COLOR: Record<Status, string> = {
  online: 'green',
  launching: 'yellow',
  stopping: 'yellow',
  'waiting-restart': 'yellow',
  stopped: 'white',
  errored: 'red',
  completed: 'green',
  failed: 'red',
};

/** Column widths; the name takes what is left. */
const FIXED = { id: 4, mode: 7, pid: 7, status: 15, restarts: 4, uptime: 6, cpu: 5, memory: 7 };

/** The process table: a header and the rows around the selected one, which is shown inverted. */
export function tableText(model: MonitModel, width: number, height: number, now: number): string {
  const rows = model.visible();
  const inner = width - 2;
  const fixed = Object.values(FIXED).reduce((a, b) => a + b, 0) + Object.keys(FIXED).length;
  const nameWidth = Math.max(6, inner - fixed);
  const cells = (c: string[]) =>
    [pad(c[0]!, FIXED.id), pad(c[1]!, nameWidth), pad(c[2]!, FIXED.mode), pad(c[3]!, FIXED.pid)].join(' ') +
    ' ' +
    [c[4]!, pad(c[5]!, FIXED.restarts), pad(c[6]!, FIXED.uptime), pad(c[7]!, FIXED.cpu), pad(c[8]!, FIXED.memory)].join(' ');
  const header = `{bold}${cells(['id', 'name', 'mode', 'pid', pad('status', FIXED.status), '↺', 'uptime', 'cpu', 'memory'])}{/bold}`;
  if (rows.length === 0) {
    const empty = model.filter ? `no process matches "${model.filter}"` : 'no apps are managed by sup; start one with `sup start app.js`';
    return `${header}\n${escape(empty)}`;
  }
  const shown = Math.max(1, height - 3);
  const at = Math.max(
    0,
    rows.findIndex((p) => p.id === model.selectedId),
  );
  const offset = Math.min(Math.max(0, at - shown + 1), Math.max(0, rows.length - shown));
  const lines = rows.slice(offset, offset + shown).map((p) => {
    const status = pad(p.status, FIXED.status);
    const line = cells([
      String(p.id),
      escape(truncate(p.name, nameWidth)),
      p.mode,
      p.pid === null ? '-' : String(p.pid),
      `{${COLOR[p.status]}-fg}${status}{/${COLOR[p.status]}-fg}`,
      String(p.restarts),
      p.uptime > 0 ? formatDuration(model.uptime(p, now)) : '-',
      formatCpu(p.cpu),
      formatBytes(p.memory),
    ]);
    return p.id === model.selectedId ? `{inverse}${line}{/inverse}` : line;
  });
  return [header, ...lines].join('\n');
}

/** Everything about the selected process that fits: what runs, where, why it last restarted, its limits and logs. */
export function detailText(model: MonitModel, width: number): string {
  const p = model.selected();
  if (!p) return '';
  const d = model.detail;
  const w = width - 2;
  const line = (label: string, value: string) => `{bold}${label.padEnd(9)}{/bold}${escape(truncate(value, w - 9))}`;
  const lines = [
    `{bold}${escape(truncate(`${p.name}#${p.id}`, w - 20))}{/bold}  {${COLOR[p.status]}-fg}${p.status}{/${COLOR[p.status]}-fg}  ${p.mode}`,
  ];
  if (d) {
    lines.push(line('script', [d.config.script, ...d.config.args].join(' ')));
    lines.push(line('cwd', d.config.cwd));
  }
  lines.push(line('pid', p.pid === null ? 'none' : String(p.pid)));
  lines.push(line('restarts', `${p.restarts} (unstable ${p.unstable_restarts})${lastExit(p)}`));
  if (p.health) {
    const last = p.health.last ? `, last ${p.health.last.ok ? 'passed' : 'failed'}: ${p.health.last.detail}` : '';
    lines.push(line('health', `${formatHealth(p.health)}${last}`));
  }
  const reason = p.status_reason ?? p.restart_reason;
  if (reason) lines.push(line('reason', reason));
  if (d) {
    const limit = d.config.max_memory_restart === null ? 'no memory limit' : `memory ${formatBytes(d.config.max_memory_restart)}`;
    lines.push(line('limits', `${limit}, kill_timeout ${d.config.kill_timeout} ms, max_restarts ${d.config.max_restarts}`));
    lines.push(line('out', d.logs.out));
    lines.push(line('err', d.logs.err));
  }
  return lines.join('\n');
}

/** CPU and memory over time, from the daemon's history and the live samples, with the 5-minute peak. */
export function chartsText(model: MonitModel, width: number, height: number): string {
  const p = model.selected();
  if (!p) return '';
  const series = model.series.get(p.id) ?? { cpu: [], memory: [] };
  const w = Math.max(1, width - 2);
  const stats = model.detail?.monitor;
  const limit = model.detail?.config.max_memory_restart ?? null;
  const cpuHead = `{bold}cpu{/bold} ${formatCpu(p.cpu)}${stats?.cpu.peak != null ? `  peak ${formatCpu(stats.cpu.peak)}` : ''}`;
  const memHead = `{bold}memory{/bold} ${formatBytes(p.memory)}${stats?.memory.peak != null ? `  peak ${formatBytes(stats.memory.peak)}` : ''}${limit ? `  limit ${formatBytes(limit)}` : ''}`;
  // CPU from 0 to at least 5% (idle noise stays low bars); memory from 0 to its limit, or to half again its peak
  // so that a steady app does not look full.
  const memTop = limit ?? Math.max(0, ...series.memory) * 1.5;
  return [cpuHead, sparkline(series.cpu, w, 5), '', memHead, sparkline(series.memory, w, memTop)]
    .slice(0, Math.max(2, height - 2))
    .join('\n');
}

export function logsLabel(model: MonitModel): string {
  const p = model.selected();
  const scope = model.logScope === 'all' ? 'all processes' : p ? `${p.name}#${p.id}` : 'nothing selected';
  return ` Logs: ${scope} (l: ${model.logScope === 'all' ? 'selected only' : 'all'}) `;
}

export function logsText(model: MonitModel, width: number, height: number): string {
  const w = width - 2;
  return model
    .logLines(Math.max(1, height - 2))
    .map((l) => {
      const prefix = model.logScope === 'all' ? `${l.name}#${l.id} | ` : '';
      const text = escape(truncate(prefix + l.text, w));
      return l.stream === 'err' ? `{red-fg}${text}{/red-fg}` : text;
    })
    .join('\n');
}

const CONNECTION: Record<MonitModel['connection'], string> = {
  connected: '{green-fg}connected{/green-fg}',
  connecting: '{yellow-fg}connecting…{/yellow-fg}',
  disconnected: '{red-fg}{bold}disconnected — retrying{/bold}{/red-fg}',
  failed: '{red-fg}{bold}disconnected{/bold}{/red-fg}',
};

export function titleText(model: MonitModel): string {
  const all = [...model.processes.values()].map((p) => p.info);
  const online = all.filter((p) => p.status === 'online').length;
  const connection = CONNECTION[model.connection];
  const filter = model.filter && model.mode !== 'filter' ? `  filter: ${escape(model.filter)}` : '';
  const notice = model.notice
    ? `  ${model.notice.level === 'error' ? '{red-fg}' : ''}${escape(model.notice.text)}${model.notice.level === 'error' ? '{/red-fg}' : ''}`
    : '';
  return ` {bold}sup monit{/bold}  ${all.length} process${all.length === 1 ? '' : 'es'}, ${online} online  ${connection}${filter}${notice}`;
}

// Fits 80 columns; ? shows the long form.
const KEYS = '↑↓ move r restart R reload s stop/start d delete l logs / filter ? help q quit';

export function footerText(model: MonitModel, width: number): string {
  if (model.mode === 'filter') return ` filter: ${escape(model.filter)}█  (enter: keep, esc: clear)`;
  if (model.mode === 'confirm-delete') {
    const p = model.deleteTarget;
    return ` {red-fg}{bold}delete ${escape(p ? `${p.name}#${p.id}` : '?')}?{/bold}{/red-fg} y: delete, any other key: cancel`;
  }
  return ` ${truncate(KEYS, width - 2)}`;
}

export const HELP = [
  '{bold}sup monit{/bold}: live processes, their resources and logs',
  '',
  '  ↑ ↓  j k     select a process (PgUp PgDn, g G: jump)',
  '  r           restart the selected process',
  '  R           reload it (cluster: zero-downtime; fork: restart)',
  '  s           stop it, or start it when it is not running',
  '  d           delete it (asks first)',
  '  l           logs of the selected process, or of all',
  '  /           filter by name (enter keeps it, esc clears it)',
  '  ?           this help',
  '  q  Ctrl-C   quit',
  '',
  'any key closes this help',
].join('\n');

function lastExit(p: ProcessInfo): string {
  if (p.exit_code === null && p.exit_signal === null) return '';
  return `, last exit ${p.exit_signal ? `by ${p.exit_signal}` : `code ${p.exit_code}`}`;
}

function pad(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - text.length));
}

function truncate(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, Math.max(0, width - 1))}…`;
}

/** blessed reads {…} as tags: text from apps must not be taken for one. */
function escape(text: string): string {
  return text.replace(/[{}]/g, (c) => (c === '{' ? '{open}' : '{close}'));
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
