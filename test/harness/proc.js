// @ts-check
/**
 * The /proc walker of the tests and the benchmarks: which processes carry a SUP_HOME (so that cleanup can end them
 * by pid, never by name), whether a pid still runs, its parent and children, its CPU time and memory. Linux only,
 * like the supervisor's own process table. /proc/<pid>/stat is parsed in one place: statOf.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** USER_HZ: 100 on every Linux that Node supports (getconf CLK_TCK). */
export const CLOCK_TICKS = 100;

/** @typedef {{ pid: number, state: string, ppid: number, utime: number, stime: number }} Stat */

/**
 * The fields of /proc/<pid>/stat that the harness reads, or undefined once the process is gone. The command name
 * (field 2) is in parentheses and may itself hold spaces and parentheses, so fields count from the last ')'.
 * @param {number} pid
 * @returns {Stat | undefined}
 */
export function statOf(pid) {
  let text;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // fields[0] is field 3 (state); ppid is field 4; utime and stime are 14 and 15, in clock ticks.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { pid, state: fields[0] ?? '', ppid: Number(fields[1]), utime: Number(fields[11]), stime: Number(fields[12]) };
}

/** Every pid in /proc right now. */
export function allPids() {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number);
}

/** @param {Stat} stat a zombie (exited, not reaped yet) or a dead task */
const ended = (stat) => stat.state === 'Z' || stat.state === 'X';

/**
 * Running: it exists and has not exited (a zombie only waits for its parent to reap it).
 * @param {number} pid
 */
export function isAlive(pid) {
  const stat = statOf(pid);
  return stat !== undefined && !ended(stat);
}

/**
 * Zombies whose parent is one of these: children a supervisor forgot to reap.
 * @param {ReadonlySet<number>} parents
 * @returns {number[]}
 */
export function zombiesOf(parents) {
  return allPids().filter((pid) => {
    const stat = statOf(pid);
    return stat?.state === 'Z' && parents.has(stat.ppid);
  });
}

/**
 * All live descendants of a process, from the parent pids in /proc.
 * @param {number} root
 * @returns {number[]}
 */
export function descendants(root) {
  /** @type {Map<number, number[]>} */
  const children = new Map();
  for (const pid of allPids()) {
    const stat = statOf(pid);
    if (stat) children.set(stat.ppid, [...(children.get(stat.ppid) ?? []), pid]);
  }
  /** @type {number[]} */
  const out = [];
  /** @param {number} pid */
  const walk = (pid) => {
    for (const child of children.get(pid) ?? []) {
      out.push(child);
      walk(child);
    }
  };
  walk(root);
  return out.filter(isAlive);
}

/**
 * The parent of a process (0 once it is gone).
 * @param {number} pid
 */
export function parentPid(pid) {
  return statOf(pid)?.ppid ?? 0;
}

/**
 * CPU seconds (user + system) a process has used so far.
 * @param {number} pid
 */
export function cpuSeconds(pid) {
  const stat = statOf(pid);
  if (!stat) throw new Error(`no process ${pid}`);
  return (stat.utime + stat.stime) / CLOCK_TICKS;
}

/**
 * A kB figure of /proc/<pid>/status: VmRSS (resident now), VmHWM (its peak).
 * @param {number} pid
 * @param {'VmRSS' | 'VmHWM'} field
 */
export function statusKb(pid, field) {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match) throw new Error(`no ${field} in /proc/${pid}/status`);
  return Number(match[1]);
}

/**
 * Resident set size in kB.
 * @param {number} pid
 */
export const vmRssKb = (pid) => statusKb(pid, 'VmRSS');

/**
 * The command line, arguments joined by spaces ('' once the process is gone).
 * @param {number} pid
 */
export function cmdline(pid) {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0$/, '').split('\0').join(' ');
  } catch {
    return '';
  }
}

/**
 * The environment, as NAME=value strings ([] once gone, or when not ours to read).
 * @param {number} pid
 */
export function environOf(pid) {
  try {
    return readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
  } catch {
    return [];
  }
}

/**
 * Pids of running processes (this one aside) whose environment has `variable` set to a value `match` accepts.
 * @param {string} variable
 * @param {(value: string) => boolean} match
 */
export function pidsWithEnv(variable, match) {
  const prefix = `${variable}=`;
  return allPids().filter((pid) => {
    if (pid === process.pid || !isAlive(pid)) return false;
    const value = environOf(pid)
      .find((e) => e.startsWith(prefix))
      ?.slice(prefix.length);
    return value !== undefined && match(value);
  });
}

/**
 * Pids of running processes whose SUP_HOME `match` accepts: everything a home's daemon started carries it.
 * @param {(home: string) => boolean} match
 */
export const pidsWithSupHome = (match) => pidsWithEnv('SUP_HOME', match);

/**
 * Sends a signal (SIGKILL unless told) to a pid, if it still exists.
 * @param {number} pid
 * @param {NodeJS.Signals} [signal]
 */
export function killQuietly(pid, signal = 'SIGKILL') {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

/**
 * The pid in a pid file, or undefined when there is none.
 * @param {string} path
 */
export function readPidFile(path) {
  try {
    return Number(readFileSync(path, 'utf8').trim()) || undefined;
  } catch {
    return undefined;
  }
}
