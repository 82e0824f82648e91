import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { parseStat } from './proc-stat.js';

export interface ProcEntry {
  pid: number;
  ppid: number;
  pgid: number;
  /** A zombie has exited and only waits to be reaped; for a supervisor it is gone. */
  zombie: boolean;
  /** When it started (clock ticks since boot on Linux, 0 where unknown): tells a recycled pid from the original. */
  start: number;
}

/** A snapshot of every process on the machine: /proc on Linux, `ps` elsewhere. */
export async function readProcessTable(): Promise<ProcEntry[]> {
  return process.platform === 'linux' ? readProc() : readPs();
}

/** Synchronous on purpose: /proc is memory, not disk, and a few hundred small reads in a row cost a fraction of their promise-based twins. */
async function readProc(): Promise<ProcEntry[]> {
  const out: ProcEntry[] = [];
  for (const name of readdirSync('/proc')) {
    if (name.charCodeAt(0) > 57) continue; // not a pid
    try {
      const stat = parseStat(readFileSync(`/proc/${name}/stat`, 'latin1'));
      if (stat)
        out.push({ pid: stat.pid, ppid: stat.ppid, pgid: stat.pgid, zombie: stat.state === 'Z' || stat.state === 'X', start: stat.start });
    } catch {
      // exited while we looked
    }
  }
  return out;
}

function readPs(): Promise<ProcEntry[]> {
  return new Promise((resolve, reject) => {
    execFile('ps', ['-A', '-o', 'pid=,ppid=,pgid=,stat='], (err, stdout) => {
      if (err) return reject(err);
      resolve(
        stdout
          .split('\n')
          .map((l) => l.trim().split(/\s+/))
          .filter((f) => f.length >= 4)
          .map(([pid, ppid, pgid, stat]) => ({
            pid: Number(pid),
            ppid: Number(ppid),
            pgid: Number(pgid),
            zombie: stat!.startsWith('Z'),
            start: 0,
          })),
      );
    });
  });
}

/**
 * The live processes that belong to an app: the root, its descendants (even those that moved to
 * their own process group), and every member of its process group (even those whose parent
 * died and were re-parented away from the tree).
 */
export function collectTree(table: readonly ProcEntry[] | TableIndex, rootPid: number, pgid: number | null): number[] {
  return collectTreeEntries(table, rootPid, pgid).map((p) => p.pid);
}

/** The table's parent→children and live-process maps, built once for many lookups (a monitor pass). */
export interface TableIndex {
  table: readonly ProcEntry[];
  children: Map<number, number[]>;
  /** Members of each process group: a tree's group is looked up, not searched for, once per instance. */
  groups: Map<number, number[]>;
  live: Map<number, ProcEntry>;
}

export function indexTable(table: readonly ProcEntry[]): TableIndex {
  const children = new Map<number, number[]>();
  const groups = new Map<number, number[]>();
  for (const p of table) {
    for (const [map, key] of [
      [children, p.ppid],
      [groups, p.pgid],
    ] as const) {
      const list = map.get(key);
      if (list) list.push(p.pid);
      else map.set(key, [p.pid]);
    }
  }
  return { table, children, groups, live: new Map(table.filter((p) => !p.zombie).map((p) => [p.pid, p])) };
}

/** collectTree with each process's group, so that a group signal is not repeated to its members one by one. */
export function collectTreeEntries(tableOrIndex: readonly ProcEntry[] | TableIndex, rootPid: number, pgid: number | null): ProcEntry[] {
  const { children, groups, live } = 'live' in tableOrIndex ? tableOrIndex : indexTable(tableOrIndex);
  const found = new Set<number>();
  const stack = [rootPid];
  while (stack.length) {
    const pid = stack.pop()!;
    if (found.has(pid)) continue;
    found.add(pid);
    stack.push(...(children.get(pid) ?? []));
  }
  if (pgid !== null) for (const pid of groups.get(pgid) ?? []) found.add(pid);
  return [...found].flatMap((pid) => live.get(pid) ?? []);
}

/** Which of these processes still run: same pid and same start time (zombies and recycled pids do not count). */
export function stillAlive(table: readonly ProcEntry[], processes: Iterable<ProcEntry>): ProcEntry[] {
  const live = new Map(table.filter((p) => !p.zombie).map((p) => [p.pid, p]));
  return [...processes].flatMap((p) => {
    const now = live.get(p.pid);
    return now && now.start === p.start ? [now] : [];
  });
}

/** Whether this very process (same pid, same start) still runs and is not a zombie: one read, no table scan. */
export function isRunning(entry: ProcEntry): boolean {
  if (process.platform !== 'linux') return processExists(entry.pid);
  try {
    const stat = parseStat(readFileSync(`/proc/${entry.pid}/stat`, 'latin1'));
    return stat !== undefined && stat.start === entry.start && stat.state !== 'Z' && stat.state !== 'X';
  } catch {
    return false;
  }
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
