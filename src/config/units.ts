/** Pure parsers for the human-friendly values ecosystem files allow. They return undefined for anything unparseable. */

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const SIZE_UNITS: Record<string, number> = { '': 1, b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

/** 1600, "1600", "500ms", "5s", "1.5m", "1h", "7d" → milliseconds. */
export function parseDuration(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? Math.round(value) : undefined;
  if (typeof value !== 'string') return undefined;
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/i.exec(value);
  if (!match) return undefined;
  const unit = DURATION_UNITS[(match[2] ?? 'ms').toLowerCase()]!;
  return Math.round(Number(match[1]) * unit);
}

/** 512000000, "200M", "1G", "512K" → bytes (PM2's K/M/G are binary multiples). */
export function parseSize(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value > 0 ? Math.round(value) : undefined;
  if (typeof value !== 'string') return undefined;
  const match = /^\s*(\d+(?:\.\d+)?)\s*([kmg]?)\s*$/i.exec(value);
  if (!match) return undefined;
  const bytes = Math.round(Number(match[1]) * SIZE_UNITS[match[2]!.toLowerCase()]!);
  return bytes > 0 ? bytes : undefined;
}

/**
 * PM2 semantics for `instances`: "max" or 0 → CPU count, negative → CPUs + n (at least 1).
 * Returns undefined for anything that is not a whole number or "max".
 */
export function resolveInstances(value: unknown, cpuCount: number): number | undefined {
  if (value === 'max') return cpuCount;
  const n = typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n)) return undefined;
  if (n === 0) return cpuCount;
  if (n < 0) return Math.max(1, cpuCount + n);
  return n;
}

/** Splits a PM2-style `args: "--port 3000 'a b'"` string into argv, honouring quotes. */
export function splitArgs(value: string): string[] {
  const out: string[] = [];
  // Unquoted runs stop at quotes, so that --name="a b" is one piece plus a quoted piece, joined below.
  const re = /"((?:[^"\\]|\\.)*)"|'([^']*)'|([^\s"']+)/g;
  let current = '';
  let lastEnd = -1;
  for (let m = re.exec(value); m; m = re.exec(value)) {
    const piece = m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : (m[2] ?? m[3]!);
    // Adjacent pieces with no space between them (--name="a b") form one argument.
    if (m.index === lastEnd) current += piece;
    else {
      if (lastEnd !== -1) out.push(current);
      current = piece;
    }
    lastEnd = re.lastIndex;
  }
  if (lastEnd !== -1) out.push(current);
  return out;
}

/** Levenshtein distance, for "did you mean" suggestions on unknown keys. */
export function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j]!;
      prev[j] = Math.min(up + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length]!;
}

export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const candidate of candidates) {
    const d = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return best;
}
