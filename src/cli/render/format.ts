/** Pure formatters shared by the table, describe and (later) the dashboard. */

export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h}h`;
  return `${Math.floor(h / 24)}D`;
}

export function formatBytes(bytes: number | null): string {
  if (bytes === null) return '-';
  if (bytes < 1024) return `${bytes}b`;
  const units = ['kb', 'mb', 'gb', 'tb'];
  let value = bytes / 1024;
  let unit = 0;
  // Compare what will be printed, so that 1048575 bytes reads 1.0mb rather than 1024kb.
  while (Number(value.toFixed(value < 10 ? 1 : 0)) >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)}${units[unit]}`;
}

export function formatCpu(cpu: number | null): string {
  return cpu === null ? '-' : `${Math.round(cpu)}%`;
}

/** Width of a string as the terminal shows it: ANSI colour codes take no room. */
export function visibleLength(text: string): number {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[\d+m/g, '').length;
}

export function renderTable(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(visibleLength(h), ...rows.map((r) => visibleLength(r[i] ?? ''))));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => cell + ' '.repeat(widths[i]! - visibleLength(cell)))
      .join('  ')
      .trimEnd();
  return [line(headers), ...rows.map(line)].join('\n');
}
