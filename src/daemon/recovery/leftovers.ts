import type { AppConfig } from '../../config/app-config.js';
import { findMarked } from '../os/marked.js';
import { readProcessTable, stillAlive } from '../os/process-table.js';
import { terminate } from '../os/terminate.js';

/**
 * Processes of this SUP_HOME that no live keeper holds: what a keeper that died left running (its apps, orphaned, and
 * whatever they started). Every app process carries SUP_HOME and its keeper's pid, so they are found even when their
 * pids were never recorded; a user's own `sup` commands and another home's apps do not match.
 */
export interface Leftover {
  pid: number;
  app: string | undefined;
}

// Leftovers get at most this long for their stop signal: the apps must be back within seconds.
const LEFTOVER_STOP_MS = 1500;

/** Processes of `home` marked with a keeper other than `keeperPid` (the one that holds this daemon's apps). */
export function findLeftovers(home: string, keeperPid: number): Leftover[] {
  return findMarked((m) => m.home === home && m.keeperPid !== undefined && m.keeperPid !== String(keeperPid)).map((p) => ({
    pid: p.pid,
    app: p.marks.app,
  }));
}

/** Ends the leftovers, each app's with its own stop signal (its kill_timeout capped); per app name, when they are gone. */
export function endLeftoversByApp(
  found: readonly Leftover[],
  configOf: (app: string) => AppConfig | undefined,
): Map<string, Promise<number>> {
  const byApp = new Map<string, Leftover[]>();
  for (const leftover of found) {
    const key = leftover.app ?? '';
    byApp.set(key, [...(byApp.get(key) ?? []), leftover]);
  }
  return new Map(
    [...byApp].map(([app, leftovers]) => {
      const config = configOf(app);
      const signal = (config?.kill_signal ?? 'SIGTERM') as NodeJS.Signals;
      return [app, endLeftovers(leftovers, signal, Math.min(config?.kill_timeout ?? LEFTOVER_STOP_MS, LEFTOVER_STOP_MS))];
    }),
  );
}

/** Stops these processes with the signal, then SIGKILL after the timeout; a process is known by pid and start time. */
export async function endLeftovers(found: readonly { pid: number }[], signal: NodeJS.Signals, timeoutMs: number): Promise<number> {
  if (found.length === 0) return 0;
  const pids = new Set(found.map((l) => l.pid));
  const initial = (await readProcessTable()).filter((p) => pids.has(p.pid) && !p.zombie);
  await terminate({ signal, timeoutMs, group: null, alive: (table) => stillAlive(table, initial) }, initial);
  return initial.length;
}
