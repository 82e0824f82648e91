import type { KillScope } from '../launch/launcher.js';
import { collectTreeEntries, readProcessTable, stillAlive, type ProcEntry } from './process-table.js';

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
}

export type TreeKillOutcome = 'exited' | 'killed';

const POLL_MS = 25;
// After SIGKILL the kernel needs a moment; past this the processes are reported, not waited on.
const SIGKILL_GRACE_MS = 3000;

/**
 * Signals the app and every descendant, waits up to timeoutMs for all of them to go,
 * then SIGKILLs whatever is left. Resolves when nothing of the tree is alive.
 */
export async function killTree(opts: TreeKillOptions): Promise<TreeKillOutcome> {
  // Everything found now is waited for, even once it leaves the tree (a grandchild that called setsid and
  // whose parents died belongs to init by then, but it is still ours to stop).
  const initial = members(await readProcessTable(), opts);
  if (opts.signal) signalAll(groupOf(opts), initial, opts.signal);
  if (await waitGone(opts, initial, opts.timeoutMs)) return 'exited';
  const table = await readProcessTable();
  signalAll(groupOf(opts), [...members(table, opts), ...stillAlive(table, initial)], 'SIGKILL');
  await waitGone(opts, initial, SIGKILL_GRACE_MS);
  return 'killed';
}

/** Kills the leftovers of an app whose main process already exited (a crash can orphan children that hold its port). */
export async function reapOrphans(pgid: number, signal: NodeJS.Signals, timeoutMs: number): Promise<void> {
  const opts = { rootPid: -1, pgid, signal, timeoutMs, rootExited: Promise.resolve(), scope: 'tree' } as const;
  if (members(await readProcessTable(), opts).length === 0) return;
  await killTree(opts);
}

/** The processes a stop is about: the whole tree, or with treekill off the main process alone. */
function members(table: readonly ProcEntry[], opts: TreeKillOptions): ProcEntry[] {
  if (opts.scope === 'tree') return collectTreeEntries(table, opts.rootPid, opts.pgid);
  return table.filter((p) => p.pid === opts.rootPid && !p.zombie);
}

function groupOf(opts: TreeKillOptions): number | null {
  return opts.scope === 'tree' ? opts.pgid : null;
}

/** One signal to the group, and one to each process outside it: a process never gets the signal twice. */
function signalAll(pgid: number | null, processes: readonly ProcEntry[], signal: NodeJS.Signals): void {
  if (pgid !== null) trySignal(-pgid, signal);
  const seen = new Set<number>();
  for (const p of processes) {
    if (p.pgid === pgid || seen.has(p.pid)) continue;
    seen.add(p.pid);
    trySignal(p.pid, signal);
  }
}

function trySignal(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // ESRCH: already gone, which is what we want.
  }
}

async function waitGone(opts: TreeKillOptions, tracked: readonly ProcEntry[], timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  let rootDone = false;
  void opts.rootExited.then(() => (rootDone = true));
  for (;;) {
    if (rootDone) {
      const table = await readProcessTable();
      if (members(table, opts).length === 0 && stillAlive(table, tracked).length === 0) return true;
    }
    const left = deadline - Date.now();
    if (left <= 0) return false;
    await new Promise((r) => setTimeout(r, Math.min(POLL_MS, left)));
  }
}
