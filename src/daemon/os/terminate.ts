import { type ProcEntry, readProcessTable } from './process-table.js';

/** One "signal, wait, then SIGKILL" over a set of processes: a stop's tree and a dead daemon's leftovers alike. */
export interface Termination {
  /** null: the processes were asked to stop another way (an IPC message); only SIGKILL follows. */
  signal: NodeJS.Signals | null;
  timeoutMs: number;
  /** A process group to signal as a whole (its members are then not signalled one by one). */
  group: number | null;
  /** Of a fresh process table, what is still to be waited for (and killed when the time is up). */
  alive(table: readonly ProcEntry[]): ProcEntry[];
  /** Polling starts once this resolves: a root's own exit event comes sooner than a poll would see it. */
  rootExited?: Promise<unknown>;
}

export type TerminationOutcome = 'exited' | 'killed';

const POLL_MS = 25;
// After SIGKILL the kernel needs a moment; past this the processes are reported, not waited on.
const SIGKILL_GRACE_MS = 3000;

/** Signals `initial` (and the group), waits up to timeoutMs for nothing to be alive, then SIGKILLs what is. */
export async function terminate(t: Termination, initial: readonly ProcEntry[]): Promise<TerminationOutcome> {
  if (t.signal) signalAll(t.group, initial, t.signal);
  if (await waitGone(t, t.timeoutMs)) return 'exited';
  signalAll(t.group, t.alive(await readProcessTable()), 'SIGKILL');
  await waitGone(t, SIGKILL_GRACE_MS);
  return 'killed';
}

/** One signal to the group, and one to each process outside it: a process never gets the signal twice. */
function signalAll(group: number | null, processes: readonly ProcEntry[], signal: NodeJS.Signals): void {
  if (group !== null) trySignal(-group, signal);
  const seen = new Set<number>();
  for (const p of processes) {
    if (p.pgid === group || seen.has(p.pid)) continue;
    seen.add(p.pid);
    trySignal(p.pid, signal);
  }
}

export function trySignal(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // ESRCH: already gone, which is what we want.
  }
}

async function waitGone(t: Termination, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  let rootDone = t.rootExited === undefined;
  void t.rootExited?.then(() => (rootDone = true));
  for (;;) {
    if (rootDone && t.alive(await readProcessTable()).length === 0) return true;
    const left = deadline - Date.now();
    if (left <= 0) return false;
    await new Promise((r) => setTimeout(r, Math.min(POLL_MS, left)));
  }
}
