import type { KillScope } from '../launch/launcher.js';
import { collectTreeEntries, isRunning, type ProcEntry, readProcessTable, stillAlive } from './process-table.js';
import { findMarked } from './marked.js';
import { type TerminationOutcome, terminate } from './terminate.js';

export interface TreeKillOptions {
  rootPid: number;
  /** A fork-mode app leads its own process group (its pid); a cluster worker shares its primary's, so none. */
  pgid: number | null;
  /** null: the process was asked to stop another way (an IPC message); only SIGKILL follows. */
  signal: NodeJS.Signals | null;
  timeoutMs: number;
  /** Resolves when the root has exited (the child's own exit event is faster than polling). */
  rootExited: Promise<unknown>;
  scope: KillScope;
  /** A cluster worker shares the keeper's process group: its orphans are found by its run's mark instead. */
  runMark?: { home: string; run: string };
}

/**
 * Signals the app and every descendant, waits up to timeoutMs for all of them to go,
 * then SIGKILLs whatever is left. Resolves when nothing of the tree is alive.
 */
export async function killTree(opts: TreeKillOptions): Promise<TerminationOutcome> {
  // Everything found now is waited for, even once it leaves the tree (a grandchild that called setsid and
  // whose parents died belongs to init by then, but it is still ours to stop).
  const initial = members(await readProcessTable(), opts);
  return terminate(
    {
      signal: opts.signal,
      timeoutMs: opts.timeoutMs,
      group: opts.scope === 'tree' ? opts.pgid : null,
      alive: (table) => [...members(table, opts), ...stillAlive(table, initial)],
      rootExited: opts.rootExited,
      nothingLeft: () => groupIsEmpty(opts.scope === 'tree' ? opts.pgid : null) && initial.every((p) => !isRunning(p)),
    },
    initial,
  );
}

/** No process is left in the group (or there is none to ask about). */
function groupIsEmpty(pgid: number | null): boolean {
  if (pgid === null) return true;
  try {
    process.kill(-pgid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** Kills the leftovers of an app whose main process already exited (a crash can orphan children that hold its port). */
export async function reapOrphans(pgid: number, signal: NodeJS.Signals, timeoutMs: number): Promise<void> {
  const opts = { rootPid: -1, pgid, signal, timeoutMs, rootExited: Promise.resolve(), scope: 'tree' } as const;
  if (members(await readProcessTable(), opts).length === 0) return;
  await killTree(opts);
}

/** The processes a stop is about: the whole tree (and what carries the run's mark), or with treekill off the main process alone. */
function members(table: readonly ProcEntry[], opts: TreeKillOptions): ProcEntry[] {
  if (opts.scope !== 'tree') return table.filter((p) => p.pid === opts.rootPid && !p.zombie);
  const tree = collectTreeEntries(table, opts.rootPid, opts.pgid);
  const mark = opts.runMark;
  if (!mark) return tree;
  const marked = new Set(findMarked((m) => m.home === mark.home && m.run === mark.run).map((p) => p.pid));
  const inTree = new Set(tree.map((p) => p.pid));
  return [...tree, ...table.filter((p) => marked.has(p.pid) && !inTree.has(p.pid) && !p.zombie)];
}

/** Kills what a cluster worker's run left behind after it exited (orphans re-parented away carry its mark). */
export async function reapMarked(mark: { home: string; run: string }, signal: NodeJS.Signals, timeoutMs: number): Promise<void> {
  if (findMarked((m) => m.home === mark.home && m.run === mark.run).length === 0) return;
  await killTree({ rootPid: -1, pgid: null, signal, timeoutMs, rootExited: Promise.resolve(), scope: 'tree', runMark: mark });
}
