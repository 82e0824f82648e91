import { describe, expect, it } from 'vitest';
import { ExitLog, StderrTail } from './exit-log.js';

describe('StderrTail', () => {
  it('keeps the last lines across chunks, an unfinished one included', () => {
    const tail = new StderrTail();
    tail.add('one\ntw');
    tail.add('o\n\nthree');
    expect(tail.last).toEqual(['one', 'two', 'three']);
  });

  it('keeps only the last ten lines', () => {
    const tail = new StderrTail();
    tail.add(`${Array.from({ length: 30 }, (_, i) => `line ${i}`).join('\n')}\n`);
    expect(tail.last).toHaveLength(10);
    expect(tail.last[9]).toBe('line 29');
  });

  it('keeps the error line of a long stack trace in view', () => {
    const tail = new StderrTail();
    const frames = Array.from({ length: 14 }, (_, i) => `    at f${i} (node:internal/x:${i}:1)`);
    tail.add(['/srv/app.js:3', 'throw new Error("boom")', '^', '', 'Error: boom', ...frames, '', 'Node.js v20.0.0', ''].join('\n'));
    expect(tail.last).toEqual([
      '/srv/app.js:3',
      'throw new Error("boom")',
      '^',
      'Error: boom',
      frames[0],
      frames[1],
      '    ...',
      'Node.js v20.0.0',
    ]);
  });
});

describe('ExitLog', () => {
  it('keeps the last five exits and finds those since a time', () => {
    const log = new ExitLog();
    for (let at = 1; at <= 7; at++) log.record({ at, code: 1, signal: null, reason: 'x', stderr: [] });
    expect(log.recent.map((e) => e.at)).toEqual([3, 4, 5, 6, 7]);
    expect(log.since(6).map((e) => e.at)).toEqual([6, 7]);
  });
});
