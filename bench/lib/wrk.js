import { fileURLToPath } from 'node:url';
import { killQuietly } from '../../test/harness/proc.js';
import { spawnTracked } from './proc.js';

const WRK = '/usr/bin/wrk';
const SUMMARY_LUA = fileURLToPath(new URL('./wrk-summary.lua', import.meta.url));

/**
 * Starts keep-alive load with wrk against a loopback port. `stop()` ends it early with SIGINT (wrk then
 * reports what it did so far); `result` resolves when wrk exits, after at most durationS + its own grace.
 * failed = socket errors (connect + read + write + timeout) + responses with status ≥ 400.
 */
export function startWrk(port, { threads = 2, connections = 20, durationS = 5 } = {}) {
  const args = [`-t${threads}`, `-c${connections}`, `-d${durationS}s`, '-s', SUMMARY_LUA, `http://127.0.0.1:${port}/`];
  const child = spawnTracked(WRK, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const result = new Promise((resolve, reject) => {
    // wrk ends by itself after -d; the backstop only matters if it hangs.
    const timer = setTimeout(() => killQuietly(child.pid), (durationS + 15) * 1000);
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      const line = /^WRK_JSON (.*)$/m.exec(out);
      if (!line) return reject(new Error(`wrk ${args.join(' ')} exited ${code ?? signal} without a summary:\n${out}`));
      const s = JSON.parse(line[1]);
      const socketErrors = s.connect + s.read + s.write + s.timeout;
      resolve({ ...s, socketErrors, failed: socketErrors + s.status, rps: s.requests / (s.duration_us / 1e6) });
    });
  });
  // Killed by cleanup (Ctrl-C) while nobody awaits it yet, wrk's failure must not crash the run before cleanup ends.
  result.catch(() => {});
  return { result, stop: () => (killQuietly(child.pid, 'SIGINT'), result) };
}
