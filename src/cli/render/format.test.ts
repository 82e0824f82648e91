import { describe, expect, it } from 'vitest';
import { formatBytes, formatCpu, formatDuration, renderTable, visibleLength } from './format.js';
import { paint } from './style.js';

describe('formatDuration', () => {
  it.each<[number, string]>([
    [-5, '0s'],
    [0, '0s'],
    [999, '0s'],
    [1000, '1s'],
    [59_999, '59s'],
    [60_000, '1m'],
    [3_599_999, '59m'],
    [3_600_000, '1h'],
    [86_399_999, '23h'],
    [86_400_000, '1D'],
    [10 * 86_400_000, '10D'],
  ])('shows %d ms as %j', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe('formatBytes', () => {
  it.each<[number | null, string]>([
    [null, '-'],
    [0, '0b'],
    [1_048_575, '1.0mb'],
    [1023, '1023b'],
    [1024, '1.0kb'],
    [1536, '1.5kb'],
    [10 * 1024, '10kb'],
    [512 * 1024, '512kb'],
    [1024 ** 2, '1.0mb'],
    [45.6 * 1024 ** 2, '46mb'],
    [1024 ** 3, '1.0gb'],
    [1024 ** 4, '1.0tb'],
    [2048 * 1024 ** 4, '2048tb'],
  ])('shows %j bytes as %j', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });
});

describe('formatCpu', () => {
  it.each<[number | null, string]>([
    [null, '-'],
    [0, '0%'],
    [12.4, '12%'],
    [12.5, '13%'],
    [250, '250%'],
  ])('shows %j as %j', (cpu, text) => {
    expect(formatCpu(cpu)).toBe(text);
  });
});

describe('visibleLength', () => {
  it('counts plain text', () => {
    expect(visibleLength('online')).toBe(6);
  });

  it('ignores ANSI colour codes', () => {
    expect(visibleLength(paint('online', 'green', true))).toBe(6);
    expect(visibleLength(paint('x', 'bold', true))).toBe(1);
    expect(visibleLength(paint('errored', 'red', true) + ' ' + paint('1', 'gray', true))).toBe(9);
  });
});

describe('renderTable', () => {
  it('pads every column to its widest cell, two spaces apart, with no trailing spaces', () => {
    const table = renderTable(
      ['id', 'name', 'status'],
      [
        ['0', 'web', 'online'],
        ['12', 'background-worker', 'stopped'],
      ],
    );
    expect(table.split('\n')).toEqual(['id  name               status', '0   web                online', '12  background-worker  stopped']);
  });

  it('aligns columns that hold ANSI colour codes by their visible width', () => {
    const on = (text: string, color: 'green' | 'red') => paint(text, color, true);
    const table = renderTable(
      ['name', 'status', 'cpu'],
      [
        ['web', on('online', 'green'), '1%'],
        ['api', on('errored', 'red'), '0%'],
      ],
    );
    const plain = table.replace(/\u001b\[\d+m/g, '');
    expect(plain.split('\n')).toEqual(['name  status   cpu', 'web   online   1%', 'api   errored  0%']);
  });

  it('widens a column for a long header', () => {
    expect(renderTable(['restarts', 'x'], [['1', 'y']]).split('\n')).toEqual(['restarts  x', '1         y']);
  });

  it('renders missing cells as empty', () => {
    expect(renderTable(['a', 'b', 'c'], [['1']]).split('\n')).toEqual(['a  b  c', '1']);
  });

  it('renders just the header when there are no rows', () => {
    expect(renderTable(['id', 'name'], [])).toBe('id  name');
  });
});
