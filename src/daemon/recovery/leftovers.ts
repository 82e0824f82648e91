import { readdirSync, readFileSync } from 'node:fs';
import { supMarks } from '../../env.js';
import { readProcessTable, stillAlive } from '../os/process-table.js';
import { terminate } from '../os/terminate.js';

/**
 * Processes a dead daemon of this SUP_HOME left running. Every app process (and whatever it spawns, a `sup`
 * command run by an app included, which inherits the environment) carries SUP_HOME and SUP_DAEMON_PID; a user's
 * own `sup` commands and another home's apps do not match. This finds them even when the daemon died before it
 * could record their pids.
 */
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
      const marks = supMarks(readFileSync(`/proc/${name}/environ`, 'latin1'));
      if (marks.home === home && marks.daemonPid !== undefined && marks.daemonPid !== String(selfPid)) {
        out.push({ pid: Number(name), app: marks.app });
      }
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
  await terminate({ signal: rule.signal, timeoutMs: rule.timeoutMs, group: null, alive: (table) => stillAlive(table, initial) }, initial);
  return initial.length;
}
