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
  /**
   * True when cheap checks (a group probe, the few processes seen at the start) say nothing is left: then no table scan
   * is needed. The common case of a stop: the app exits on the signal, its exit event comes, one check, done.
   */
  nothingLeft?(): boolean;
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
  if (t.rootExited) {
    // Woken by the exit event itself, not by a poll.
    const rootDone = await Promise.race([t.rootExited.then(() => true), sleep(timeoutMs).then(() => false)]);
    if (!rootDone) return false;
  }
  for (let pause = 2; ; pause = Math.min(pause * 2, POLL_MS)) {
    if (t.nothingLeft?.() || t.alive(await readProcessTable()).length === 0) return true;
    const left = deadline - Date.now();
    if (left <= 0) return false;
    await sleep(Math.min(pause, left));
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms).unref());
}
