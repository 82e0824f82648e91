// @ts-check
/** Running a command to its end: its output, exit code and wall time, within a deadline. */
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { killQuietly } from './proc.js';

/**
 * @typedef {object} RunResult
 * @property {string} command the command line, for messages
 * @property {number | null} code
 * @property {NodeJS.Signals | null} signal
 * @property {string} stdout
 * @property {string} stderr
 * @property {number} ms from just before spawn (fork and exec happen inside it) to the exit
 */
/**
 * @typedef {object} RunOptions
 * @property {NodeJS.ProcessEnv} [env]
 * @property {string} [cwd]
 * @property {number} [timeoutMs] killed and failed after this (20 s unless told)
 * @property {string} [input] written to its stdin, which is closed after it (no stdin at all without it)
 * @property {boolean} [duringCleanup] runs even after stopRunning()
 */

/** Pids of children still running that a script's cleanup must end: run()'s, and any a script adds. */
export const running = new Set();

let stopped = false;
/**
 * Ends every child in `running` and refuses new runs except cleanup's own: once a script's cleanup has begun (after
 * Ctrl-C, say), a step still in flight must not start a daemon behind its back.
 */
export function stopRunning() {
  stopped = true;
  [...running].forEach((pid) => killQuietly(pid));
  running.clear();
}

/** Whether stopRunning() was called: a script starting a child of its own checks this first. */
export const cleaningUp = () => stopped;

/**
 * Runs a command to completion and resolves whatever its exit code; fails only when it cannot start or outlives the
 * deadline (then it is killed, and the error holds everything it printed).
 * @param {string} command
 * @param {readonly string[]} args
 * @param {RunOptions} [options]
 * @returns {Promise<RunResult>}
 */
export function run(command, args, { env = process.env, cwd, timeoutMs = 20_000, input, duringCleanup = false } = {}) {
  const line = [command, ...args].join(' ');
  return new Promise((resolve, reject) => {
    if (stopped && !duringCleanup) return reject(new Error(`not running ${line}: cleaning up`));
    const started = performance.now();
    const child = spawn(command, args, { env, cwd, stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    const pid = child.pid;
    if (pid !== undefined) running.add(pid);
    child.stdin?.end(input);
    let stdout = '';
    let stderr = '';
    let ms = 0;
    child.stdout?.on('data', (d) => (stdout += d));
    child.stderr?.on('data', (d) => (stderr += d));
    child.once('exit', () => (ms = performance.now() - started));
    const timer = setTimeout(() => {
      if (pid !== undefined) killQuietly(pid);
      reject(new Error(`${line} did not finish in ${timeoutMs} ms\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, timeoutMs);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    // 'close' comes after 'exit' once the pipes are drained, so the output is complete here.
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      if (pid !== undefined) running.delete(pid);
      resolve({ command: line, code, signal, stdout, stderr, ms });
    });
  });
}

/**
 * The result of a command that had to succeed: fails with everything it printed unless it exited 0.
 * @param {RunResult} result
 */
export function succeeded(result) {
  if (result.code !== 0) {
    throw new Error(`${result.command} exited ${result.code ?? result.signal}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`);
  }
  return result;
}

/**
 * run(), failing unless the command exits 0.
 * @param {string} command
 * @param {readonly string[]} args
 * @param {RunOptions} [options]
 */
export async function runOk(command, args, options) {
  return succeeded(await run(command, args, options));
}
