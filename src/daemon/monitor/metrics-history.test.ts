import { describe, expect, it } from 'vitest';
import { MetricsHistory, historyCapacity, type Sample } from './metrics-history.js';

const MB = 1024 * 1024;
const sample = (at: number, cpu = at, memory = at * MB): Sample => ({ at, cpu, memory });

function filled(capacity: number, count: number): MetricsHistory {
  const history = new MetricsHistory(capacity);
  for (let at = 1; at <= count; at++) history.push(sample(at));
  return history;
}

describe('MetricsHistory', () => {
  it('starts empty: no samples, no peak, no average, but the current figure passes through', () => {
    const history = new MetricsHistory(5);
    expect(history.list()).toEqual([]);
    expect(history.stats('memory', null)).toEqual({ current: null, peak: null, average: null });
    expect(history.stats('cpu', 12.5)).toEqual({ current: 12.5, peak: null, average: null });
  });

  it('lists the samples oldest first before it is full', () => {
    const history = filled(5, 3);
    expect(history.list().map((s) => s.at)).toEqual([1, 2, 3]);
  });

  it('holds exactly `capacity` samples when full', () => {
    expect(
      filled(4, 4)
        .list()
        .map((s) => s.at),
    ).toEqual([1, 2, 3, 4]);
  });

  it('wraps at capacity, dropping the oldest and still listing oldest first', () => {
    expect(
      filled(4, 5)
        .list()
        .map((s) => s.at),
    ).toEqual([2, 3, 4, 5]);
    expect(
      filled(4, 11)
        .list()
        .map((s) => s.at),
    ).toEqual([8, 9, 10, 11]);
  });

  it('keeps order across many wraps of a ring of one', () => {
    const history = filled(1, 7);
    expect(history.list()).toEqual([sample(7)]);
  });

  it('returns the samples themselves, unchanged', () => {
    const history = new MetricsHistory(3);
    const s = { at: 1_700_000_000_000, cpu: 3.5, memory: 42 * MB };
    history.push(s);
    expect(history.list()).toEqual([s]);
  });

  it('reports the current figure given, the peak and the average (one decimal) of the samples', () => {
    const history = new MetricsHistory(10);
    for (const [cpu, memory] of [
      [10, 100],
      [30, 300],
      [20, 201],
    ] as const) {
      history.push({ at: 0, cpu, memory });
    }
    expect(history.stats('cpu', 20)).toEqual({ current: 20, peak: 30, average: 20 });
    // (100 + 300 + 201) / 3 = 200.333…
    expect(history.stats('memory', 201)).toEqual({ current: 201, peak: 300, average: 200.3 });
  });

  it('takes the current figure from the caller, not from the last sample (null once stopped)', () => {
    const history = filled(3, 3);
    expect(history.stats('memory', null)).toEqual({ current: null, peak: 3 * MB, average: 2 * MB });
  });

  it('computes peak and average over the retained window only, after a wrap', () => {
    const history = new MetricsHistory(3);
    for (const cpu of [99, 1, 2, 3]) history.push({ at: 0, cpu, memory: cpu });
    expect(history.stats('cpu', 3)).toEqual({ current: 3, peak: 3, average: 2 });
  });

  it('rounds the average to one decimal', () => {
    const history = new MetricsHistory(3);
    for (const cpu of [0.1, 0.2, 0.25]) history.push({ at: 0, cpu, memory: 0 });
    // 0.55 / 3 = 0.18333…
    expect(history.stats('cpu', 0).average).toBe(0.2);
  });
});

describe('historyCapacity', () => {
  it.each<[number, number, number]>([
    [5 * 60_000, 1000, 300],
    [5 * 60_000, 200, 1500],
    [5 * 60_000, 700, 429], // 428.57… rounded up, so the window is fully covered
    [1000, 1000, 1],
    [500, 1000, 1], // a window shorter than one interval still keeps one sample
    [0, 1000, 1],
  ])('covers %d ms at %d ms with %d samples', (windowMs, intervalMs, capacity) => {
    expect(historyCapacity(windowMs, intervalMs)).toBe(capacity);
  });
});
