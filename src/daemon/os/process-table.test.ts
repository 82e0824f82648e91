import { describe, expect, it } from 'vitest';
import { collectTree, type ProcEntry, stillAlive } from './process-table.js';

const p = (pid: number, ppid: number, pgid: number, zombie = false): ProcEntry => ({ pid, ppid, pgid, zombie, start: pid * 10 });
const sorted = (pids: number[]) => [...pids].sort((a, b) => a - b);

describe('collectTree', () => {
  it('collects the root and all its descendants', () => {
    const table = [p(1, 0, 1), p(100, 1, 100), p(101, 100, 100), p(102, 101, 100), p(103, 100, 100)];
    expect(sorted(collectTree(table, 100, 100))).toEqual([100, 101, 102, 103]);
  });

  it('follows descendants that moved to their own process group', () => {
    const table = [p(1, 0, 1), p(100, 1, 100), p(101, 100, 101), p(102, 101, 102)];
    expect(sorted(collectTree(table, 100, 100))).toEqual([100, 101, 102]);
  });

  it('includes group members re-parented to init after their parent died', () => {
    const table = [p(1, 0, 1), p(100, 1, 100), p(105, 1, 100)];
    expect(sorted(collectTree(table, 100, 100))).toEqual([100, 105]);
  });

  it('includes group members when the root itself is gone', () => {
    const table = [p(1, 0, 1), p(105, 1, 100), p(106, 105, 100)];
    expect(sorted(collectTree(table, 100, 100))).toEqual([105, 106]);
  });

  it('ignores the process group when pgid is null', () => {
    const table = [p(1, 0, 1), p(100, 1, 100), p(105, 1, 100)];
    expect(sorted(collectTree(table, 100, null))).toEqual([100]);
  });

  it('excludes zombies, but still follows their live children', () => {
    const table = [p(1, 0, 1), p(100, 1, 100), p(101, 100, 100, true), p(102, 101, 100), p(103, 1, 100, true)];
    expect(sorted(collectTree(table, 100, 100))).toEqual([100, 102]);
  });

  it('excludes a zombie root', () => {
    const table = [p(1, 0, 1), p(100, 1, 100, true), p(101, 100, 100)];
    expect(sorted(collectTree(table, 100, 100))).toEqual([101]);
  });

  it('excludes unrelated processes', () => {
    const table = [p(1, 0, 1), p(100, 1, 100), p(101, 100, 100), p(200, 1, 200), p(201, 200, 200), p(300, 1, 1)];
    expect(sorted(collectTree(table, 100, 100))).toEqual([100, 101]);
  });

  it('returns nothing for a root that is not in the table', () => {
    expect(collectTree([p(1, 0, 1), p(200, 1, 200)], 100, 100)).toEqual([]);
  });

  it('does not hang on a cycle in the parent links', () => {
    const table = [p(100, 102, 100), p(101, 100, 100), p(102, 101, 100), p(103, 103, 103)];
    expect(sorted(collectTree(table, 100, 100))).toEqual([100, 101, 102]);
    expect(collectTree(table, 103, 103)).toEqual([103]);
  });

  it('lists each pid once', () => {
    const table = [p(100, 1, 100), p(101, 100, 100), p(102, 101, 100)];
    const found = collectTree(table, 100, 100);
    expect(new Set(found).size).toBe(found.length);
  });

  it('handles a wide, deep table quickly', () => {
    const table: ProcEntry[] = [p(1, 0, 1)];
    for (let pid = 2; pid < 20_000; pid++) table.push(p(pid, pid - 1, pid % 7 === 0 ? 2 : pid));
    expect(collectTree(table, 2, 2)).toHaveLength(19_998);
  });
});

describe('stillAlive', () => {
  it('tells a recycled pid (same pid, another start time) from the process it replaced', () => {
    const before = [p(200, 1, 200)];
    expect(stillAlive([p(200, 1, 200)], before).map((e) => e.pid)).toEqual([200]);
    expect(stillAlive([{ ...p(200, 1, 200), start: 999_999 }], before)).toEqual([]);
    expect(stillAlive([p(200, 1, 200, true)], before)).toEqual([]);
  });
});
