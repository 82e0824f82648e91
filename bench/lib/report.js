import { cpus, loadavg, totalmem } from 'node:os';

export function environment() {
  return {
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    cpus: cpus().length,
    cpu_model: cpus()[0]?.model ?? 'unknown',
    memory_gib: Math.round(totalmem() / 2 ** 30),
    // Other work on the machine shows up in every figure; the load says how much there was.
    load_average: loadavg().map((l) => Math.round(l * 100) / 100),
  };
}

/** Rows of the sup-only cases (watch-cost, monit) carry their stats at the top level: PM2 has no counterpart. */
export function normalize(row) {
  if (row.sup) return row;
  const { median, min, max, n, samples, ...rest } = row;
  return { ...rest, sup: { median, min, max, n, samples }, pm2: { na: 'sup only' } };
}

/** sup's median over PM2's: below 1 means sup took less (time, memory, CPU, losses) or served less (req/s). */
export function ratio(row) {
  if (row.floor || row.sup.na || row.pm2.na || row.pm2.same) return null;
  if (row.pm2.median === 0) return row.sup.median === 0 ? 1 : Infinity;
  return row.sup.median / row.pm2.median;
}

export function toJson(rows, meta) {
  return {
    environment: meta.environment,
    versions: meta.versions,
    quick: meta.quick,
    load_average_end: meta.loadEnd,
    results: rows.map((r) => rounded({ ...r, ratio: ratio(r) })),
  };
}

/** The rows and meta of a run saved with --save, to render its table again (e.g. as markdown for the docs). */
export function fromJson(saved) {
  const meta = { environment: saved.environment, versions: saved.versions, quick: saved.quick, loadEnd: saved.load_average_end };
  return { rows: saved.results.map(({ ratio: _ratio, ...r }) => r), meta };
}

/** The table for a terminal (aligned columns) or, with markdown, for docs/benchmarks.md. */
export function renderTable(rows, meta, { markdown = false } = {}) {
  const reasons = [
    ...new Set(
      rows
        .flatMap((r) => [r.sup, r.pm2])
        .filter((s) => s.na && s.na !== 'sup only')
        .map((s) => s.na),
    ),
  ];
  const cell = (s, row) => {
    if (s.same) return '(same)';
    if (s.na) return s.na === 'sup only' ? '—' : `n/a [${reasons.indexOf(s.na) + 1}]`;
    return `${num(s.median)} ${row.unit}`;
  };
  const spread = (s) => (s.na || s.same ? '' : s.n > 1 ? `${num(s.min, digitsFor(s.median))}–${num(s.max, digitsFor(s.median))}` : '');
  const header = ['metric', 'sup', 'PM2', 'sup/PM2', 'n', 'sup min–max', 'PM2 min–max'];
  const body = rows.map((r) => {
    const q = ratio(r);
    const n = r.pm2.n && r.pm2.n !== r.sup.n ? `${r.sup.n ?? 0}/${r.pm2.n}` : String(r.sup.n ?? 0);
    return [
      r.label,
      cell(r.sup, r),
      cell(r.pm2, r),
      q == null ? '' : Number.isFinite(q) ? `${q > 0 && q < 0.1 ? q.toPrecision(2) : q.toFixed(2)}×` : '∞',
      n,
      spread(r.sup),
      spread(r.pm2),
    ];
  });
  const { environment: env, versions } = meta;
  const title = `sup ${versions.sup} vs ${versions.pm2 ? `PM2 ${versions.pm2}` : 'PM2 (not installed)'} — Node ${env.node}, ${env.platform}, ${env.cpus} × ${env.cpu_model}, ${env.memory_gib} GiB; load average ${env.load_average.join(' ')} at the start, ${meta.loadEnd.join(' ')} at the end${meta.quick ? '; QUICK mode' : ''}`;
  const notes = [
    'Medians of n runs, sup and PM2 alternating in the same run. sup/PM2 < 1: sup used less (time, memory, CPU, lost requests), or served less (req/s, ×).',
    ...reasons.map((r, i) => `[${i + 1}] ${r}`),
  ];
  if (markdown) {
    const line = (cells) => `| ${cells.join(' | ')} |`;
    return [title, '', line(header), line(header.map((_, i) => (i === 0 ? '---' : '---:'))), ...body.map(line), '', ...notes].join('\n');
  }
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells) =>
    cells
      .map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i])))
      .join('  ')
      .trimEnd();
  return [title, '', line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line), '', ...notes].join('\n');
}

const digitsFor = (v) => (Math.abs(v) >= 100 ? 0 : Math.abs(v) >= 10 || v === 0 ? 1 : 2);
const num = (v, digits) => v.toFixed(digits ?? digitsFor(v));

/** Hundredths of a ms (or MiB) are already below the noise. */
function rounded(value) {
  if (typeof value === 'number') return Number.isFinite(value) ? Math.round(value * 100) / 100 : String(value);
  if (Array.isArray(value)) return value.map(rounded);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rounded(v)]));
  return value;
}
