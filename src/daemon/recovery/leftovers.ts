import { readdirSync, readFileSync } from 'node:fs';
import { readProcessTable, stillAlive } from '../os/process-table.js';

/**
 * Processes a dead daemon of this SUP_HOME left running. Every app process (and whatever it spawns, a `sup`
 * command run by an app included, which inherits the environment) carries SUP_HOME and SUP_DAEMON_PID; a user's
 * own `sup` commands and another home's apps do not match. This finds them even when the daemon died before it
 * could record their pids.
 */
export const DAEMON_PID_VAR = 'SUP_DAEMON_PID';

export interface Marker {
  home: string;
  daemonPid: string;
  app: string | undefined;
}

/** The sup variables of one process's environment (/proc/<pid>/environ), if it was started by a sup daemon. */
export function parseMarker(environ: string): Marker | undefined {
  let home: string | undefined;
  let daemonPid: string | undefined;
  let app: string | undefined;
  for (const entry of environ.split('\0')) {
    if (entry.startsWith('SUP_HOME=')) home = entry.slice(9);
    else if (entry.startsWith(`${DAEMON_PID_VAR}=`)) daemonPid = entry.slice(DAEMON_PID_VAR.length + 1);
    else if (entry.startsWith('SUP_APP_NAME=')) app = entry.slice(13);
  }
  return home !== undefined && daemonPid !== undefined ? { home, daemonPid, app } : undefined;
}

export interface Leftover {
  pid: number;
  app: string | undefined;
}

/** Linux only (elsewhere environments are not readable this way): processes of earlier daemons of `home`. */
export function findLeftovers(home: string, selfPid = process.pid): Leftover[] {
  if (process.platform !== 'linux') return [];
  const out: Leftover[] = [];
  for (const name of readdirSync('/proc')) {
    if (name.charCodeAt(0) > 57 || Number(name) === selfPid) continue;
    try {
      const marker = parseMarker(readFileSync(`/proc/${name}/environ`, 'latin1'));
      if (marker && marker.home === home && marker.daemonPid !== String(selfPid)) out.push({ pid: Number(name), app: marker.app });
    } catch {
      // exited while we looked, or not ours to read
    }
  }
  return out;
}

export interface StopRule {
  signal: NodeJS.Signals;
  timeoutMs: number;
}

/**
 * Stops leftovers (of one app) with its stop signal, then SIGKILL after its timeout; resolves once all are gone.
 * A process is known by pid and start time, so a recycled pid is never signalled.
 */
export async function endLeftovers(found: readonly Leftover[], rule: StopRule): Promise<number> {
  if (found.length === 0) return 0;
  const pids = new Set(found.map((l) => l.pid));
  const initial = (await readProcessTable()).filter((p) => pids.has(p.pid) && !p.zombie);
  for (const p of initial) signal(p.pid, rule.signal);
  const started = Date.now();
  let killed = false;
  for (;;) {
    const alive = stillAlive(await readProcessTable(), initial);
    if (alive.length === 0) return initial.length;
    if (!killed && Date.now() - started >= rule.timeoutMs) {
      killed = true;
      alive.forEach((p) => signal(p.pid, 'SIGKILL'));
    }
    if (Date.now() - started > 10_000) return initial.length; // SIGKILLed and still there: the kernel's matter, not ours to wait on
    await new Promise((r) => setTimeout(r, 25));
  }
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}
