/** A fixed-size ring of samples (the last few minutes) with the figures `describe` and the dashboard show. */

export interface Sample {
  /** ms since the epoch */
  at: number;
  cpu: number;
  memory: number;
}

export interface SeriesStats {
  current: number | null;
  peak: number | null;
  average: number | null;
}

export class MetricsHistory {
  private readonly samples: (Sample | undefined)[];
  private next = 0;
  private size = 0;

  constructor(readonly capacity: number) {
    this.samples = new Array(capacity);
  }

  push(sample: Sample): void {
    this.samples[this.next] = sample;
    this.next = (this.next + 1) % this.capacity;
    this.size = Math.min(this.size + 1, this.capacity);
  }

  /** Oldest first. */
  list(): Sample[] {
    const out: Sample[] = [];
    for (let i = 0; i < this.size; i++) out.push(this.samples[(this.next - this.size + i + this.capacity) % this.capacity]!);
    return out;
  }

  stats(key: 'cpu' | 'memory', current: number | null): SeriesStats {
    const values = this.list().map((s) => s[key]);
    if (values.length === 0) return { current, peak: null, average: null };
    const sum = values.reduce((a, b) => a + b, 0);
    return { current, peak: Math.max(...values), average: Math.round((sum / values.length) * 10) / 10 };
  }
}

/** How many samples cover `windowMs` at `intervalMs`. */
export function historyCapacity(windowMs: number, intervalMs: number): number {
  return Math.max(1, Math.ceil(windowMs / intervalMs));
}
