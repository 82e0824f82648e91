import { cpus, loadavg } from 'node:os';

/** PM2 7 figures from an earlier measurement on another machine kind, where `node -e 0` took 47 ms. Not measured here. */
export const PM2_REF = {
  nodeMs: 47,
  rows: {
    'node-e-0': { low: 47, unit: 'ms' },
    list: { low: 125, high: 150, unit: 'ms', note: 'jlist' },
    'list-json': { low: 125, high: 150, unit: 'ms', note: 'jlist' },
    'first-command': { low: 430, unit: 'ms' },
    'rss-1app': { low: 58, unit: 'MB' },
    'restart-gap': { low: 76, unit: 'ms' },
    'reload-loss-naive': { low: 26, unit: 'req' },
    'reload-loss-draining': { low: 0, unit: 'req' },
    'reload-time': { low: 500, high: 1100, unit: 'ms' },
    'memory-limit-peak': { low: 647, unit: 'MB', note: 'checked every 30 s' },
  },
};

export function environment() {
  return {
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    cpus: cpus().length,
    cpu_model: cpus()[0]?.model ?? 'unknown',
    // Other work on the machine shows up in every figure; the load says how much there was.
    load_average: loadavg().map((l) => Math.round(l * 100) / 100),
  };
}

/** Adds each time's multiple of the `node -e 0` median measured in this run (not for rows marked vsNode: false). */
export function withRatios(rows, floorMs) {
  return rows.map(({ vsNode, ...r }) => ({ ...r, ratio_to_node: r.unit === 'ms' && vsNode !== false && floorMs ? r.median / floorMs : null }));
}

export function toJson(rows, floorMs) {
  return {
    environment: environment(),
    node_e_0_median_ms: floorMs && Math.round(floorMs * 100) / 100,
    results: rows.map(rounded),
    pm2_7_reference: { note: 'reference figures from another machine kind, not measured in this run', node_e_0_ms: PM2_REF.nodeMs, ...PM2_REF.rows },
  };
}

export function renderTable(rows) {
  const header = ['metric', 'median', 'min–max', 'n', '× node -e 0', 'PM2 7 ref*', 'PM2 × node*'];
  const body = rows.map((r) => {
    const ref = PM2_REF.rows[r.id];
    return [
      r.label,
      `${num(r.median)} ${r.unit}`,
      `${num(r.min, digitsFor(r.median))}–${num(r.max, digitsFor(r.median))}`,
      String(r.n),
      r.ratio_to_node == null ? '—' : `${r.ratio_to_node.toFixed(2)}×`,
      ref ? `${range(ref.low, ref.high, 0)} ${ref.unit}${ref.note ? ` (${ref.note})` : ''}` : '—',
      ref && ref.unit === 'ms' ? `${range(ref.low / PM2_REF.nodeMs, ref.high && ref.high / PM2_REF.nodeMs, 2)}×` : '—',
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd();
  const env = environment();
  return [
    `sup benchmarks — ${env.node}, ${env.platform}, ${env.cpus} × ${env.cpu_model}, load average ${env.load_average.join(' ')}`,
    '',
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...body.map(line),
    '',
    `* PM2 7 columns are reference figures from an earlier run on another machine kind (node -e 0 = ${PM2_REF.nodeMs} ms there),`,
    '  not measured in this run; compare the × node -e 0 columns. MiB = VmRSS / 1024.',
  ].join('\n');
}

const digitsFor = (v) => (Math.abs(v) >= 100 ? 0 : Math.abs(v) >= 10 || v === 0 ? 1 : 2);
const num = (v, digits) => v.toFixed(digits ?? digitsFor(v));
const range = (low, high, digits) => (high ? `${num(low, digits)}–${num(high, digits)}` : num(low, digits));

/** Hundredths of a ms (or MiB) are already below the noise. */
function rounded(row) {
  const r = (v) => (typeof v === 'number' ? Math.round(v * 100) / 100 : v);
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, Array.isArray(v) ? v.map(r) : r(v)]));
}
