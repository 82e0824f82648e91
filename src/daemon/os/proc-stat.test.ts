import { describe, expect, it } from 'vitest';
import { parseStat } from './proc-stat.js';

// Real /proc/<pid>/stat lines: pid (comm) state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt
// utime stime cutime cstime priority nice num_threads itrealvalue starttime vsize rss ...
const stat = (pid: number, comm: string, state: string, ppid: number, pgid: number) =>
  `${pid} (${comm}) ${state} ${ppid} ${pgid} ${pgid} 0 -1 4194560 123 0 0 0 1 2 0 0 20 0 1 0 12345 1000 100\n`;

describe('parseStat', () => {
  it('reads pid, ppid and process group', () => {
    expect(parseStat(stat(1234, 'node', 'S', 1, 1234))).toMatchObject({ pid: 1234, ppid: 1, pgid: 1234, state: expect.any(String) });
  });

  it('reads a command name with spaces', () => {
    expect(parseStat(stat(77, 'Web Content', 'R', 10, 9))).toMatchObject({ pid: 77, ppid: 10, pgid: 9, state: expect.any(String) });
  });

  it('reads a command name with parentheses and spaces', () => {
    expect(parseStat(stat(5, 'a) S 999 999 (b', 'S', 2, 3))).toMatchObject({ pid: 5, ppid: 2, pgid: 3, state: expect.any(String) });
  });

  it('reads a command name that is only ")"', () => {
    expect(parseStat(stat(6, ')', 'S', 2, 3))).toMatchObject({ pid: 6, ppid: 2, pgid: 3, state: expect.any(String) });
  });

  it.each([['Z'], ['X'], ['R'], ['S'], ['D']])('reads state %s', (state) => {
    expect(parseStat(stat(8, 'x', state, 1, 8))?.state).toBe(state);
  });

  it('reads CPU ticks, start time and resident pages', () => {
    expect(parseStat(stat(9, 'node', 'S', 1, 9))).toMatchObject({ utime: 1, stime: 2, start: 12345, rss: 100 });
  });

  it.each([[''], ['garbage'], ['123 (unterminated S 1 1'], ['(x) S 1 1'], ['12 (x)']])('rejects %j', (line) => {
    expect(parseStat(line)).toBeUndefined();
  });
});
