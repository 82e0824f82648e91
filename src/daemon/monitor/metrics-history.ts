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

/**
 * One typed array per instance rather than an object per sample: a thousand instances keep five minutes each without
 * giving the garbage collector three hundred thousand objects to trace.
 */
export class MetricsHistory {
  private values: Float64Array | undefined;
  private next = 0;
  private size = 0;

  constructor(readonly capacity: number) {}

  push(sample: Sample): void {
    // Allocated with the first sample: an instance that never runs costs nothing.
    this.values ??= new Float64Array(this.capacity * 3);
    this.values.set([sample.at, sample.cpu, sample.memory], this.next * 3);
    this.next = (this.next + 1) % this.capacity;
    this.size = Math.min(this.size + 1, this.capacity);
  }

  /** Oldest first. */
  list(): Sample[] {
    const out: Sample[] = [];
    const values = this.values;
    if (!values) return out;
    for (let i = 0; i < this.size; i++) {
      const at = ((this.next - this.size + i + this.capacity) % this.capacity) * 3;
      out.push({ at: values[at]!, cpu: values[at + 1]!, memory: values[at + 2]! });
    }
    return out;
  }

  stats(key: 'cpu' | 'memory', current: number | null): SeriesStats {
    if (this.size === 0 || !this.values) return { current, peak: null, average: null };
    const offset = key === 'cpu' ? 1 : 2;
    let sum = 0;
    let peak = -Infinity;
    for (let i = 0; i < this.size; i++) {
      const value = this.values[((this.next - this.size + i + this.capacity) % this.capacity) * 3 + offset]!;
      sum += value;
      peak = Math.max(peak, value);
    }
    return { current, peak, average: Math.round((sum / this.size) * 10) / 10 };
  }
}

/** How many samples cover `windowMs` at `intervalMs`. */
export function historyCapacity(windowMs: number, intervalMs: number): number {
  return Math.max(1, Math.ceil(windowMs / intervalMs));
}
