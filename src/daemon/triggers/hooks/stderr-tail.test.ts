import { describe, expect, it } from 'vitest';
import { StderrTail } from './stderr-tail.js';

describe('StderrTail', () => {
  it('keeps the last lines of each instance, across chunks, the unfinished one included', () => {
    const tail = new StderrTail();
    tail.push(1, Buffer.from('first\nsec'));
    tail.push(1, Buffer.from('ond\nthird'));
    tail.push(2, Buffer.from('other\n'));
    expect(tail.lines(1)).toEqual(['first', 'second', 'third']);
    expect(tail.lines(2)).toEqual(['other']);
    tail.clear(1);
    expect(tail.lines(1)).toEqual([]);
  });

  it('keeps at most 20 lines, and drops a line cut by its byte bound', () => {
    const tail = new StderrTail();
    for (let i = 0; i < 100; i++) tail.push(0, Buffer.from(`line ${i}\n`));
    expect(tail.lines(0)).toEqual(Array.from({ length: 20 }, (_, i) => `line ${80 + i}`));
    tail.push(3, Buffer.from(`${'x'.repeat(20_000)}\nlast words\n`));
    expect(tail.lines(3)).toEqual(['last words']);
  });
});
