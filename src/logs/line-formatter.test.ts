import { describe, expect, it } from 'vitest';
import { LineFormatter } from './line-formatter.js';

/** A stamp that numbers itself, so that a test can count stamps and see which line got which. */
function counter(): { stamp: () => string; calls: () => number } {
  let n = 0;
  return { stamp: () => `[${++n}] `, calls: () => n };
}

const b = (s: string | number[]) => (typeof s === 'string' ? Buffer.from(s) : Buffer.from(s));
const joined = (pieces: Buffer[]) => Buffer.concat(pieces);
const text = (pieces: Buffer[]) => joined(pieces).toString('latin1');

/** Pushes every chunk, then ends the source, and returns all that would be written. */
function feed(formatter: LineFormatter, chunks: Buffer[], end = true): Buffer {
  const out = chunks.flatMap((c) => formatter.push(c));
  if (end) out.push(...formatter.end());
  return joined(out);
}

describe('LineFormatter', () => {
  describe('a file of its own without timestamps', () => {
    it('passes every chunk through as the exact same bytes', () => {
      const f = new LineFormatter(null, false);
      const chunks = [b('one\ntw'), b('o\n'), b('no newline yet'), b([0xff, 0x00, 0x0a, 0xc3])];
      for (const chunk of chunks) {
        const out = f.push(chunk);
        expect(out).toHaveLength(1);
        expect(out[0]!.equals(chunk)).toBe(true);
      }
    });

    it('adds nothing when the source ends mid-line (the bytes stay exactly as written)', () => {
      const f = new LineFormatter(null, false);
      f.push(b('partial'));
      expect(f.end()).toEqual([]);
    });
  });

  describe('timestamps', () => {
    it('stamps every line once, at its start', () => {
      const { stamp, calls } = counter();
      const out = feed(new LineFormatter(stamp, false), [b('a\nb\n\nc\n')]);
      expect(out.toString()).toBe('[1] a\n[2] b\n[3] \n[4] c\n');
      expect(calls()).toBe(4);
    });

    it('gives a line that arrives in three chunks one stamp, not one per chunk', () => {
      const { stamp, calls } = counter();
      const f = new LineFormatter(stamp, false);
      const out = [...f.push(b('hel')), ...f.push(b('lo wor')), ...f.push(b('ld\nnext'))];
      expect(text(out)).toBe('[1] hello world\n[2] next');
      expect(calls()).toBe(2);
      // The line is written as it comes (a file of its own need not wait for the newline).
      expect(text(f.push(b(' line\n')))).toBe(' line\n');
      expect(calls()).toBe(2);
    });

    it('completes an unfinished line with a newline when the source ends', () => {
      const { stamp } = counter();
      const f = new LineFormatter(stamp, false);
      expect(text(f.push(b('first\nlast words')))).toBe('[1] first\n[2] last words');
      expect(text(f.end())).toBe('\n');
      // Nothing more to complete: a second end() adds nothing.
      expect(f.end()).toEqual([]);
    });

    it('has nothing to complete when the output ended on a newline', () => {
      const f = new LineFormatter(counter().stamp, false);
      f.push(b('whole\n'));
      expect(f.end()).toEqual([]);
    });

    it('starts a new stamp after the source ended mid-line', () => {
      const { stamp } = counter();
      const f = new LineFormatter(stamp, false);
      const out = [...f.push(b('cut')), ...f.end(), ...f.push(b('again\n'))];
      expect(text(out)).toBe('[1] cut\n[2] again\n');
    });
  });

  describe('a shared file (several sources)', () => {
    it('holds a partial line until its newline arrives, then writes the whole line', () => {
      const f = new LineFormatter(null, true);
      expect(f.push(b('par'))).toEqual([]);
      expect(f.push(b('tial'))).toEqual([]);
      expect(text(f.push(b(' line\nnext')))).toBe('partial line\n');
      expect(text(f.push(b('\n')))).toBe('next\n');
    });

    it('does not hold a line that never ends: past 1 MiB it is written as it comes', () => {
      const f = new LineFormatter(null, true);
      const chunk = Buffer.alloc(256 * 1024, 'x');
      const written = [1, 2, 3, 4, 5].map(() => Buffer.concat(f.push(chunk)).length);
      expect(written).toEqual([0, 0, 0, 0, 5 * chunk.length]);
      expect(text(f.push(b('y\n')))).toBe('y\n');
    });

    it('writes only whole lines, so that two interleaved sources never mix within a line', () => {
      const one = new LineFormatter(null, true);
      const two = new LineFormatter(null, true);
      const file: Buffer[] = [];
      // Chunks of both sources alternate, each cut mid-line.
      const a = ['A1-aaa', 'aaa\nA2-a', 'aaaaa\nA3', '-aaaaaa\n'];
      const c = ['B1-b', 'bbbbb\nB2-bbb', 'bbb\nB3-bbbbb', 'b\n'];
      for (let i = 0; i < a.length; i++) file.push(...one.push(b(a[i]!)), ...two.push(b(c[i]!)));
      const lines = text(file).split('\n').slice(0, -1);
      expect(lines.sort()).toEqual(['A1-aaaaaa', 'A2-aaaaaa', 'A3-aaaaaa', 'B1-bbbbbb', 'B2-bbbbbb', 'B3-bbbbbb']);
    });

    it('completes a held line when the source ends', () => {
      const f = new LineFormatter(null, true);
      expect(f.push(b('done\nhalf'))).toHaveLength(1);
      expect(text(f.end())).toBe('half\n');
      expect(f.end()).toEqual([]);
    });

    it('stamps a held line once, when it is written', () => {
      const { stamp, calls } = counter();
      const f = new LineFormatter(stamp, true);
      expect(f.push(b('x'))).toEqual([]);
      expect(f.push(b('y'))).toEqual([]);
      expect(calls()).toBe(0);
      expect(text(f.push(b('z\n')))).toBe('[1] xyz\n');
      expect(text([...f.push(b('tail')), ...f.end()])).toBe('[2] tail\n');
    });
  });

  describe('bytes that are not UTF-8', () => {
    // Invalid sequences, a lone continuation byte, NUL, and a 4-byte character cut across two chunks.
    const emoji = Buffer.from('😀');
    const chunks = [
      b([0xff, 0xfe, 0x41, 0x0a]),
      b([0x80, 0x00, 0xc0, 0xaf]),
      Buffer.concat([b('x'), emoji.subarray(0, 2)]),
      Buffer.concat([emoji.subarray(2), b([0x0a, 0xed, 0xa0, 0x80, 0x0a])]),
    ];
    const input = Buffer.concat(chunks);

    it('pass through a file of its own unchanged', () => {
      expect(feed(new LineFormatter(null, false), chunks).equals(input)).toBe(true);
    });

    it('pass through a shared file unchanged', () => {
      expect(feed(new LineFormatter(null, true), chunks).equals(input)).toBe(true);
    });

    it('pass through unchanged after the stamps', () => {
      const out = feed(new LineFormatter(() => 'T ', true), chunks);
      const expected = Buffer.concat([
        b('T '),
        b([0xff, 0xfe, 0x41, 0x0a]),
        b('T '),
        input.subarray(4, input.length - 4),
        b('T '),
        input.subarray(-4),
      ]);
      expect(out.equals(expected)).toBe(true);
    });
  });

  describe('a 1 MB line', () => {
    const MB = 1024 * 1024;
    const line = Buffer.alloc(MB, 'q');
    const chunks = (size: number) => {
      const all = Buffer.concat([line, b('\nafter\n')]);
      const out: Buffer[] = [];
      for (let i = 0; i < all.length; i += size) out.push(all.subarray(i, i + size));
      return out;
    };

    it('arrives whole in a shared file, in 64 KB chunks, with one stamp', () => {
      const { stamp, calls } = counter();
      const f = new LineFormatter(stamp, true);
      const parts = chunks(64 * 1024);
      // Nothing is written until the newline arrives.
      const beforeNewline = parts.slice(0, 16).flatMap((c) => f.push(c));
      expect(beforeNewline).toEqual([]);
      const out = Buffer.concat([...parts.slice(16).flatMap((c) => f.push(c)), ...f.end()]);
      expect(out.length).toBe('[1] '.length + MB + 1 + '[2] after\n'.length);
      expect(out.subarray(0, 4).toString()).toBe('[1] ');
      expect(out.subarray(4, 4 + MB).equals(line)).toBe(true);
      expect(out.subarray(4 + MB).toString()).toBe('\n[2] after\n');
      expect(calls()).toBe(2);
    });

    it('gets one stamp in a file of its own, however it is cut', () => {
      const { stamp, calls } = counter();
      const out = feed(new LineFormatter(stamp, false), chunks(4096 + 7));
      expect(calls()).toBe(2);
      expect(out.toString()).toBe(`[1] ${line.toString()}\n[2] after\n`);
    });
  });
});
