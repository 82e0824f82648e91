import { closeSync, existsSync, fstatSync, mkdirSync, openSync, readFileSync, readSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { describe, expect } from 'vitest';
import { fixture } from './harness/paths.js';
import type { SupHome } from './harness/sup-home.js';
import { holdsFor, waitFor } from './harness/wait.js';
import { writeEcosystem } from './helpers/apps.js';
import { it } from './helpers/sup-test.js';

// Tests run as root, so a failing log target is made of things root cannot write either: /dev/full (every write
// fails with ENOSPC) and a directory that is removed, or replaced by a file so that it cannot be made again.

const read = (path: string) => (existsSync(path) ? readFileSync(path, 'utf8') : '');
/** The numbers of log-flood.js's lines in a text, in order. */
const lineNumbers = (text: string) => [...text.matchAll(/^line (\d+) /gm)].map((m) => Number(m[1]));
// A bound that catches a daemon blocked by a failing log target, yet holds on a loaded machine (the figure is printed).
const MAX_PING_MS = 5000;

/** The last "alive <n>" log-flood.js wrote to stderr. */
const lastAlive = (path: string) => Number([...read(path).matchAll(/^alive (\d+)$/gm)].at(-1)?.[1] ?? 0);

describe('log targets that fail', () => {
  const daemonLog = (sup: SupHome) => read(join(sup.home, 'daemon.log'));
  /** Lines of daemon.log that name this path. */
  const reportsOf = (sup: SupHome, path: string) =>
    daemonLog(sup)
      .split('\n')
      .filter((line) => line.includes(path));

  /** The app keeps running and writing (its stderr log grows), and the daemon answers fast, for a while. */
  async function stillFine(sup: SupHome, name: string, errLog: string, pid: number): Promise<number> {
    let slowest = 0;
    const client = await sup.client();
    const alive = lastAlive(errLog);
    await waitFor(`${name} to write on (stderr past "alive ${alive}")`, () => lastAlive(errLog) > alive, 15_000);
    await holdsFor(`${name} online and the daemon answering`, 1000, async () => {
      const t0 = performance.now();
      await client.request('ping', {});
      slowest = Math.max(slowest, performance.now() - t0);
      const info = await sup.info(name);
      return info.status === 'online' && info.pid === pid && info.restarts === 0 ? undefined : JSON.stringify(info);
    });
    expect(slowest).toBeLessThan(MAX_PING_MS);
    return slowest;
  }

  it('keeps an app whose out_file is /dev/full running, and reports ENOSPC once', async ({ sup, dir }) => {
    const errLog = join(dir, 'err.log');
    await sup.ok([
      'start',
      writeEcosystem(dir, [{ name: 'full', script: fixture('log-flood.js'), out_file: '/dev/full', error_file: errLog }]),
    ]);
    const { pid } = await sup.info('full');
    await waitFor(
      'the ENOSPC report in daemon.log',
      () => reportsOf(sup, '/dev/full').length > 0,
      15_000,
      () => daemonLog(sup),
    );
    const daemon = sup.daemonPid();

    const slowest = await stillFine(sup, 'full', errLog, pid!);
    // Thousands of lines were dropped since: still one report, and no flood of anything else either.
    expect(reportsOf(sup, '/dev/full')).toEqual([expect.stringMatching(/cannot write \/dev\/full: ENOSPC/)]);
    expect(daemonLog(sup).split('\n').length).toBeLessThan(20);
    expect(sup.daemonPid()).toBe(daemon);
    // Reading the logs of such an app is harmless (/dev/full reads as endless zeros).
    const logs = await sup.run(['logs', 'full', '--lines', '5', '--nostream'], { timeoutMs: 10_000 });
    expect(logs.code).toBe(0);
    expect(logs.stdout).toMatch(/alive \d+/);
    console.log(`/dev/full: ${lastAlive(errLog)} lines dropped, 1 report; slowest ping ${slowest.toFixed(1)} ms`);
  });

  it('reports a log directory removed while the app logs once, and logs on into a new one', async ({ sup, dir }) => {
    const logs = join(dir, 'logs');
    const [out, errLog] = [join(logs, 'out.log'), join(logs, 'err.log')];
    await sup.ok(['start', writeEcosystem(dir, [{ name: 'vanish', script: fixture('log-flood.js'), out_file: out, error_file: errLog }])]);
    const { pid } = await sup.info('vanish');
    await waitFor('lines in out.log', () => lineNumbers(read(out)).length > 100, 15_000);

    // Keep a handle on the old file, to count what still went into it once it was gone.
    const old = openSync(out, 'r');
    const sizeAtRemoval = statSync(out).size;
    rmSync(logs, { recursive: true, force: true });
    const firstAfter = await waitFor('a new out.log with fresh lines', () => lineNumbers(read(out))[0], 15_000);
    const slowest = await stillFine(sup, 'vanish', errLog, pid!);
    const whole = Buffer.alloc(fstatSync(old).size);
    readSync(old, whole, 0, whole.length, 0);
    closeSync(old);
    const lostBytes = whole.length - sizeAtRemoval;
    const lastInOld = lineNumbers(whole.toString('utf8')).at(-1);
    // No line goes missing between the old file and the new one: the new one starts where the old one ended.
    expect(firstAfter).toBe((lastInOld ?? 0) + 1);
    console.log(
      `removed log directory: recreated; ${lostBytes} bytes (lines up to ${lastInOld}) went to the removed file after rm; ` +
        `new file starts at line ${firstAfter}; reports: ${JSON.stringify(reportsOf(sup, logs))}; slowest ping ${slowest.toFixed(1)} ms`,
    );
    // Lines went into a file nobody can read any more: the daemon says so, once.
    expect(reportsOf(sup, out)).toHaveLength(1);
  });

  it('reports a log directory that cannot be made again once, and keeps the app running', async ({ sup, dir }) => {
    const logs = join(dir, 'logs');
    const [out, errLog] = [join(logs, 'out.log'), join(dir, 'err.log')];
    await sup.ok(['start', writeEcosystem(dir, [{ name: 'blocked', script: fixture('log-flood.js'), out_file: out, error_file: errLog }])]);
    const { pid } = await sup.info('blocked');
    await waitFor('lines in out.log', () => lineNumbers(read(out)).length > 100, 15_000);

    // A file where the directory was: mkdir fails (EEXIST or ENOTDIR), for root too.
    rmSync(logs, { recursive: true, force: true });
    writeFileSync(logs, 'not a directory\n');
    await waitFor(
      'the report in daemon.log',
      () => reportsOf(sup, out).length > 0,
      15_000,
      () => daemonLog(sup),
    );
    const slowest = await stillFine(sup, 'blocked', errLog, pid!);
    expect(reportsOf(sup, out)).toEqual([expect.stringMatching(/cannot write .*out\.log: (ENOTDIR|EEXIST)/)]);
    expect(daemonLog(sup).split('\n').length).toBeLessThan(20);

    // Once the directory can be made again, writing resumes (the file is retried every 10 s; not waited for here).
    rmSync(logs, { force: true });
    mkdirSync(logs);
    expect(await sup.ok(['ping'])).toMatch(/^pong/);
    console.log(`unmakeable log directory: 1 report (${reportsOf(sup, out)[0]}); slowest ping ${slowest.toFixed(1)} ms`);
  });
});
