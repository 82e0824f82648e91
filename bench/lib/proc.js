import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

/** Children spawned by the bench that may still run; cleanup kills what is left of them by pid. */
export const spawned = new Set();

let stopped = false;
/** Once cleanup begins, a benchmark still running (after Ctrl-C) must not start a daemon behind its back. */
export function stopSpawning() {
  stopped = true;
}

/**
 * Runs a command to completion and times it from just before spawn (fork+exec happen inside spawn())
 * to its exit. Fails with everything it printed if it exits non-zero or outlives timeoutMs.
 */
export function timedRun(command, args, { env = process.env, cwd, timeoutMs = 20_000, duringCleanup = false } = {}) {
  return new Promise((resolve, reject) => {
    if (stopped && !duringCleanup) return reject(new Error(`not running ${args.join(' ')}: cleaning up`));
    const started = performance.now();
    const child = spawn(command, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    spawned.add(child.pid);
    let stdout = '';
    let stderr = '';
    let ms;
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.once('exit', () => (ms = performance.now() - started));
    const timer = setTimeout(() => {
      killQuietly(child.pid);
      reject(new Error(`${[command, ...args].join(' ')} did not finish in ${timeoutMs} ms\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, timeoutMs);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    // 'close' comes after 'exit' once the pipes are drained, so the output is complete here.
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      spawned.delete(child.pid);
      if (code !== 0) {
        reject(new Error(`${[command, ...args].join(' ')} exited ${code ?? signal}\nstdout: ${stdout}\nstderr: ${stderr}`));
      } else {
        resolve({ ms, stdout, stderr });
      }
    });
  });
}

/** Starts a long-running child that cleanup ends by pid if the bench does not. */
export function spawnTracked(command, args, options = {}) {
  if (stopped) throw new Error(`not starting ${args.join(' ')}: cleaning up`);
  const child = spawn(command, args, { stdio: 'ignore', ...options });
  spawned.add(child.pid);
  child.once('exit', () => spawned.delete(child.pid));
  return child;
}

/** Polls `probe` until it returns a value other than undefined/false; fails after the deadline with the last thing seen. */
export async function waitFor(what, probe, timeoutMs = 10_000, intervalMs = 25) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
      last = value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last probe: ${String(last)}`);
    await sleep(intervalMs);
  }
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Pids of live (non-zombie) processes whose environment has a SUP_HOME that `match` accepts. */
export function pidsWithSupHome(match) {
  const out = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      if (!isAlive(Number(name))) continue;
      const env = readFileSync(`/proc/${name}/environ`, 'utf8').split('\0');
      const home = env.find((e) => e.startsWith('SUP_HOME='))?.slice('SUP_HOME='.length);
      if (home !== undefined && match(home)) out.push(Number(name));
    } catch {
      // exited while we looked, or not ours to read
    }
  }
  return out;
}

export function isAlive(pid) {
  try {
    return !/\) [ZX] /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

export function killQuietly(pid, signal = 'SIGKILL') {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

/** Resident set size in kB, from /proc/<pid>/status. */
export function vmRssKb(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(status);
  if (!match) throw new Error(`no VmRSS in /proc/${pid}/status`);
  return Number(match[1]);
}

/** The parent of a process, from /proc/<pid>/stat (field 4, after the parenthesised command name). */
export function parentPid(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
}

const CLOCK_TICKS = 100; // USER_HZ; 100 on every Linux that node supports (getconf CLK_TCK)

/** CPU seconds (user + system) a process has used so far, from /proc/<pid>/stat. */
export function cpuSeconds(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the parenthesised command name, which may itself contain spaces: utime and stime are 14 and 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

/** CPU% of a process over `ms` of wall time (100 = one core busy). */
export async function cpuPercentOver(pid, ms) {
  const cpu0 = cpuSeconds(pid);
  const t0 = performance.now();
  await sleep(ms);
  return ((cpuSeconds(pid) - cpu0) / ((performance.now() - t0) / 1000)) * 100;
}

/** Waits until every process of the app `name` in `list()` has `status`; resolves with them. */
export function waitForAppStatus(list, name, status, { label = name, timeoutMs = 10_000 } = {}) {
  return waitFor(
    `${label} to be ${status}`,
    async () => {
      const mine = (await list()).filter((p) => p.name === name);
      return mine.length > 0 && mine.every((p) => p.status === status) ? mine : undefined;
    },
    timeoutMs,
    50,
  );
}

/** The pid in a pid file, or undefined. */
export function readPidFile(path) {
  try {
    return Number(readFileSync(path, 'utf8').trim()) || undefined;
  } catch {
    return undefined;
  }
}
