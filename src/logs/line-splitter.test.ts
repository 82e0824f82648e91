import { describe, expect, it } from 'vitest';
import { LineSplitter } from './line-splitter.js';

describe('LineSplitter', () => {
  it('returns whole lines, per source, holding an unfinished end until the rest arrives', () => {
    const s = new LineSplitter();
    expect(s.push('a', 'one\ntw')).toEqual(['one']);
    expect(s.push('b', 'x')).toEqual([]);
    expect(s.push('a', 'o\n')).toEqual(['two']);
    expect(s.flush('b')).toBe('x');
    expect(s.flush('b')).toBeUndefined();
  });

  it('keeps only the start of an unfinished line past its limit', () => {
    const s = new LineSplitter(3);
    s.push('a', 'abcdef');
    expect(s.push('a', 'gh\n')).toEqual(['abcgh']);
  });
});
