import { readdirSync, readFileSync } from 'node:fs';
import { type SupMarks, supMarks } from '../../env.js';

/**
 * Processes whose environment carries sup's marks and passes `test`: every app process (and whatever it starts, unless
 * it clears its environment) carries SUP_HOME, SUP_KEEPER_PID and SUP_RUN. This finds what a process tree cannot:
 * children that left it (orphans of a crashed cluster worker, re-parented away) and what a dead keeper left running.
 * Linux only (elsewhere environments are not readable this way): an empty list there.
 */
export function findMarked(test: (marks: SupMarks) => boolean, selfPid = process.pid): { pid: number; marks: SupMarks }[] {
  if (process.platform !== 'linux') return [];
  const out: { pid: number; marks: SupMarks }[] = [];
  for (const name of readdirSync('/proc')) {
    if (name.charCodeAt(0) > 57 || Number(name) === selfPid) continue;
    try {
      const marks = supMarks(readFileSync(`/proc/${name}/environ`, 'latin1'));
      if (marks.home !== undefined && test(marks)) out.push({ pid: Number(name), marks });
    } catch {
      // exited while we looked, or not ours to read
    }
  }
  return out;
}
