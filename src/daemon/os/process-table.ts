import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

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
      const entry = parseStat(readFileSync(`/proc/${name}/stat`, 'utf8'));
      if (entry) out.push(entry);
    } catch {
      // exited while we looked
    }
  }
  return out;
}

/** Parses /proc/<pid>/stat; the command name may contain spaces and parentheses, so split after the last ")". */
export function parseStat(line: string): ProcEntry | undefined {
  const close = line.lastIndexOf(')');
  if (close < 0) return undefined;
  const fields = line.slice(close + 2).split(' ');
  const [state, ppid, pgid] = fields;
  const pid = Number.parseInt(line, 10);
  if (!state || Number.isNaN(pid)) return undefined;
  return { pid, ppid: Number(ppid), pgid: Number(pgid), zombie: state === 'Z' || state === 'X', start: Number(fields[19] ?? 0) };
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
  live: Map<number, ProcEntry>;
}

export function indexTable(table: readonly ProcEntry[]): TableIndex {
  const children = new Map<number, number[]>();
  for (const p of table) {
    const list = children.get(p.ppid);
    if (list) list.push(p.pid);
    else children.set(p.ppid, [p.pid]);
  }
  return { table, children, live: new Map(table.filter((p) => !p.zombie).map((p) => [p.pid, p])) };
}

/** collectTree with each process's group, so that a group signal is not repeated to its members one by one. */
export function collectTreeEntries(tableOrIndex: readonly ProcEntry[] | TableIndex, rootPid: number, pgid: number | null): ProcEntry[] {
  const { table, children, live } = 'live' in tableOrIndex ? tableOrIndex : indexTable(tableOrIndex);
  const found = new Set<number>();
  const stack = [rootPid];
  while (stack.length) {
    const pid = stack.pop()!;
    if (found.has(pid)) continue;
    found.add(pid);
    stack.push(...(children.get(pid) ?? []));
  }
  if (pgid !== null) for (const p of table) if (p.pgid === pgid) found.add(p.pid);
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
