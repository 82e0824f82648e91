import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect } from 'vitest';
import type { SupEvent } from '../src/protocol/messages.js';
import { fixture } from './harness/paths.js';
import { waitFor } from './harness/wait.js';
import { homeEcosystem as ecosystem, startCrashing } from './helpers/apps.js';
import { it } from './helpers/sup-test.js';

const PAD = 'x'.repeat(62);
/** Line n of burst.js, without its newline (71 bytes with it). */
const burstLine = (n: number) => `${String(n).padStart(7, '0')} ${PAD}`;
const BURST_LINE_BYTES = 71;

const sizeOf = (path: string) => statSync(path, { throwIfNoEntry: false })?.size ?? -1;
const read = (path: string) => (existsSync(path) ? readFileSync(path, 'utf8') : '');
/** The lines of a file, without the empty string after its last newline. */
const linesOf = (path: string) => read(path).split('\n').slice(0, -1);

/** Fails naming the first line that is not the expected one (a 200,000-line diff would say nothing). */
function expectLines(actual: string[], expected: (i: number) => string, count: number, label: string): void {
  for (let i = 0; i < Math.min(actual.length, count); i++) {
    if (actual[i] !== expected(i))
      expect.fail(`${label}: line ${i + 1} is ${JSON.stringify(actual[i])}, expected ${JSON.stringify(expected(i))}`);
  }
  expect(actual.length, label).toBe(count);
}

/** Waits for a file to reach a size; fails showing how far it got. */
function waitForSize(path: string, bytes: number, timeoutMs: number): Promise<true> {
  return waitFor(
    `${path} to reach ${bytes} bytes`,
    () => sizeOf(path) >= bytes,
    timeoutMs,
    () => ({ size: sizeOf(path) }),
  );
}

/**
 * Checks that every line of a merge_logs file of log-instance.js is one instance's whole line, and that each
 * instance's lines are in order; returns the next line number expected of each and how often the writer changed.
 */
function checkMerged(lines: string[]): { next: number[]; switches: number } {
  const next = [1, 1];
  let switches = 0;
  let last = -1;
  lines.forEach((line, i) => {
    const m = /^i([01]) (\d+) (\d{40})$/.exec(line);
    if (!m || m[3] !== m[1]!.repeat(40)) expect.fail(`line ${i + 1} is not one instance's line: ${JSON.stringify(line)}`);
    const instance = Number(m[1]);
    if (Number(m[2]) !== next[instance])
      expect.fail(`line ${i + 1} is ${JSON.stringify(line)}; expected line ${next[instance]} of instance ${instance}`);
    next[instance]!++;
    if (last !== -1 && last !== instance) switches++;
    last = instance;
  });
  return { next, switches };
}

describe('log files', () => {
  it('keeps all 200,000 lines of a burst, in order, without gaps or duplicates', async ({ sup }) => {
    const lines = 200_000;
    await sup.ok([
      'start',
      ecosystem(sup, [{ name: 'burst', script: fixture('burst.js'), log_max_size: 0, env: { BURST_LINES: String(lines) } }]),
    ]);
    const out = join(sup.home, 'logs/burst-out.log');
    await waitForSize(out, lines * BURST_LINE_BYTES, 60_000);
    expectLines(linesOf(out), (i) => burstLine(i + 1), lines, 'burst-out.log');
    expect(sizeOf(out)).toBe(lines * BURST_LINE_BYTES);
  });

  it('keeps the lines written just before each crash, across restarts', async ({ sup }) => {
    // log-burst-crash.js exits once its last line is in the pipe (burst.js with BURST_THEN_CRASH=1 may lose its
    // own unflushed stdout at process.exit, before sup could see it). A long min_uptime: every run counts as a
    // crash loop, so that max_restarts 2 means exactly three runs.
    await startCrashing(sup, [fixture('log-burst-crash.js'), '--name', 'crashy', '--max-restarts', '2', '--min-uptime', '60s'], {
      env: { BURST_LINES: '5000' },
    });
    const [crashy] = await sup.waitForStatus('crashy', 'errored', 30_000);
    expect(crashy!.restarts).toBe(2);
    const out = join(sup.home, 'logs/crashy-out.log');
    await waitForSize(out, 3 * 5000 * BURST_LINE_BYTES, 10_000);
    // Three complete runs, one after the other.
    expectLines(linesOf(out), (i) => burstLine((i % 5000) + 1), 3 * 5000, 'crashy-out.log');
  });

  describe('timestamps', () => {
    it('starts every line with an ISO timestamp and ": " with time: true, or with log_date_format', async ({ sup }) => {
      const lines = 2000;
      const startedAt = Date.now();
      await sup.ok([
        'start',
        ecosystem(sup, [
          { name: 'iso', script: fixture('burst.js'), time: true, env: { BURST_LINES: String(lines) } },
          { name: 'fmt', script: fixture('burst.js'), log_date_format: 'YYYY-MM-DD HH:mm', env: { BURST_LINES: String(lines) } },
        ]),
      ]);
      const iso = join(sup.home, 'logs/iso-out.log');
      const fmt = join(sup.home, 'logs/fmt-out.log');
      await waitFor(
        `${lines} lines in both files`,
        () => linesOf(iso).length >= lines && linesOf(fmt).length >= lines,
        30_000,
        () => ({
          iso: linesOf(iso).length,
          fmt: linesOf(fmt).length,
        }),
      );

      const isoStamp = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}[+-]\d{2}:\d{2}): (.*)$/;
      let previous = 0;
      expectLines(
        linesOf(iso).map((line, i) => {
          const m = isoStamp.exec(line);
          if (!m) expect.fail(`iso-out.log line ${i + 1} has no ISO timestamp: ${JSON.stringify(line)}`);
          // Real times of this run, never going back.
          const at = Date.parse(m[1]!);
          expect(at).toBeGreaterThanOrEqual(Math.max(previous, startedAt - 1000));
          expect(at).toBeLessThanOrEqual(Date.now());
          previous = at;
          return m[2]!;
        }),
        (i) => burstLine(i + 1),
        lines,
        'iso-out.log without its stamps',
      );

      const shortStamp = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}: (.*)$/;
      expectLines(
        linesOf(fmt).map((line, i) => {
          const m = shortStamp.exec(line);
          if (!m) expect.fail(`fmt-out.log line ${i + 1} does not start with "YYYY-MM-DD HH:mm: ": ${JSON.stringify(line)}`);
          return m[1]!;
        }),
        (i) => burstLine(i + 1),
        lines,
        'fmt-out.log without its stamps',
      );
    });
  });

  it('merge_logs: two instances share one file and never mix within a line', async ({ sup }) => {
    const lines = 20_000;
    await sup.ok([
      'start',
      ecosystem(sup, [
        {
          name: 'merged',
          script: fixture('log-instance.js'),
          instances: 2,
          exec_mode: 'fork',
          merge_logs: true,
          log_max_size: 0,
          env: { INSTANCE_LINES: String(lines) },
        },
      ]),
    ]);
    const logs = join(sup.home, 'logs');
    const out = join(logs, 'merged-out.log');
    await waitFor(
      `${2 * lines} lines`,
      () => linesOf(out).length >= 2 * lines,
      60_000,
      () => ({ lines: linesOf(out).length }),
    );
    expect(readdirSync(logs).filter((f) => /^merged-(out|error)-\d/.test(f))).toEqual([]);

    const { next, switches } = checkMerged(linesOf(out));
    expect(next).toEqual([lines + 1, lines + 1]);
    // The two instances did write at the same time (otherwise this would prove nothing about mixing).
    expect(switches).toBeGreaterThan(0);
  });

  // Whole-lines-only was once decided at a source's first output and kept after scaling up.
  it('merge_logs: lines stay whole after the app is scaled up', async ({ sup }) => {
    const lines = 100_000;
    await sup.ok([
      'start',
      ecosystem(sup, [
        {
          name: 'merged',
          script: fixture('log-instance.js'),
          exec_mode: 'fork',
          merge_logs: true,
          log_max_size: 0,
          env: { INSTANCE_LINES: String(lines) },
        },
      ]),
    ]);
    await sup.ok(['scale', 'merged', '2']);
    const out = join(sup.home, 'logs/merged-out.log');
    await waitFor(
      `${2 * lines} lines`,
      () => linesOf(out).length >= 2 * lines,
      90_000,
      () => ({ lines: linesOf(out).length }),
    );
    const { next } = checkMerged(linesOf(out));
    expect(next).toEqual([lines + 1, lines + 1]);
  });

  describe('where output goes', () => {
    it('log_file holds stdout and stderr together, besides the out and error files', async ({ sup }) => {
      const combined = join(sup.home, 'combined.log');
      await sup.ok([
        'start',
        ecosystem(sup, [{ name: 'both', script: fixture('log-both.js'), log_file: combined, env: { BOTH_LINES: '1000' } }]),
      ]);
      await waitFor(
        '2000 lines in the combined file',
        () => linesOf(combined).length >= 2000,
        20_000,
        () => ({ lines: linesOf(combined).length }),
      );
      const outLine = (n: number) => `out ${n} ${'o'.repeat(n % 50)}`;
      const errLine = (n: number) => `err ${n} ${'e'.repeat(n % 50)}`;
      expectLines(linesOf(join(sup.home, 'logs/both-out.log')), (i) => outLine(i + 1), 1000, 'both-out.log');
      expectLines(linesOf(join(sup.home, 'logs/both-error.log')), (i) => errLine(i + 1), 1000, 'both-error.log');
      const all = linesOf(combined);
      // Whole lines of each stream, each stream in its order.
      expectLines(
        all.filter((l) => l.startsWith('out ')),
        (i) => outLine(i + 1),
        1000,
        'stdout lines of combined.log',
      );
      expectLines(
        all.filter((l) => l.startsWith('err ')),
        (i) => errLine(i + 1),
        1000,
        'stderr lines of combined.log',
      );
      expect(all).toHaveLength(2000);
    });

    it('out_file "/dev/null" writes no file, and /dev/null stays the null device', async ({ sup }) => {
      await sup.ok(['start', ecosystem(sup, [{ name: 'quiet', script: fixture('log-echo.js'), out_file: '/dev/null' }])]);
      const logs = join(sup.home, 'logs');
      const err = join(logs, 'quiet-error.log');
      await waitFor(
        'the stderr lines',
        () => read(err) === 'oops 1\noops 2\noops 3\n',
        10_000,
        () => read(err),
      );
      const seen: SupEvent[] = [];
      await (await sup.client()).subscribe(['log'], (event) => seen.push(event));
      await sup.ok(['message', 'quiet', '{"err":true}']);
      await waitFor(
        'the echo on stdout, as a log event',
        () => seen.some((e) => e.type === 'log' && e.stream === 'out'),
        10_000,
        () => seen,
      );
      await waitFor(
        'the echo on stderr, in its file',
        () => read(err).endsWith('echo-err {"err":true}\n'),
        10_000,
        () => read(err),
      );
      expect(readdirSync(logs)).toEqual(['quiet-error.log']);
      expect(statSync('/dev/null').isCharacterDevice()).toBe(true);
    });

    it('disable_logs creates no file at all, though followers still get the output live', async ({ sup }) => {
      await sup.ok([
        'start',
        ecosystem(sup, [{ name: 'silent', script: fixture('log-echo.js'), disable_logs: true, log_file: join(sup.home, 'all.log') }]),
      ]);
      await sup.waitForStatus('silent', 'online');
      const seen: SupEvent[] = [];
      const client = await sup.client();
      await client.subscribe(['log'], (event) => seen.push(event));
      await sup.ok(['message', 'silent', '{"err":true}']);
      // Files are written before the event goes out, so once both events are here any file would exist.
      await waitFor(
        'both echoes as log events',
        () => seen.filter((e) => e.type === 'log' && e.data.includes('echo')).length >= 2,
        10_000,
        () => seen,
      );
      const logs = join(sup.home, 'logs');
      expect(existsSync(logs) ? readdirSync(logs) : []).toEqual([]);
      expect(existsSync(join(sup.home, 'all.log'))).toBe(false);
      expect(readdirSync(sup.home).filter((f) => f.endsWith('.log') && f !== 'daemon.log')).toEqual([]);
    });
  });

  describe('sup flush', () => {
    it('empties the files of the named app at once, and new lines start the file again', async ({ sup }) => {
      await sup.ok(['start', fixture('log-echo.js'), '--name', 'one']);
      await sup.ok(['start', fixture('log-echo.js'), '--name', 'two']);
      const file = (app: string, stream: 'out' | 'error') => join(sup.home, 'logs', `${app}-${stream}.log`);
      for (const app of ['one', 'two']) {
        await waitFor(
          `${app}'s first lines`,
          () => read(file(app, 'out')).endsWith('hello 3\n') && read(file(app, 'error')).endsWith('oops 3\n'),
        );
      }

      const output = await sup.ok(['flush', 'one']);
      expect(output).toBe(`emptied 2 log files:\n${file('one', 'out')}\n${file('one', 'error')}\n`);
      expect([sizeOf(file('one', 'out')), sizeOf(file('one', 'error'))]).toEqual([0, 0]);
      expect(read(file('two', 'out'))).toBe('hello 1\nhello 2\nhello 3\n');

      await sup.ok(['message', 'one', '"after"']);
      await waitFor(
        'the new line',
        () => read(file('one', 'out')) === 'echo "after"\n',
        10_000,
        () => read(file('one', 'out')),
      );

      await sup.ok(['flush']);
      for (const app of ['one', 'two']) {
        expect([sizeOf(file(app, 'out')), sizeOf(file(app, 'error'))], app).toEqual([0, 0]);
      }
    });

    // flush once skipped files this daemon had not opened yet, while reporting them emptied.
    it('empties a file that the daemon has not written since `sup reload-logs`', async ({ sup }) => {
      await sup.ok(['start', fixture('log-echo.js'), '--name', 'echo']);
      const out = join(sup.home, 'logs/echo-out.log');
      await waitFor('the first lines', () => read(out).endsWith('hello 3\n'));
      await sup.ok(['reload-logs']);
      expect(await sup.ok(['flush', 'echo'])).toContain(out);
      expect(sizeOf(out)).toBe(0);
    });

    // The same for files left by an earlier daemon, or an app that has printed nothing since.
    it('empties the files of an app that has not printed since the daemon started', async ({ sup }) => {
      await sup.ok(['start', fixture('log-echo.js'), '--name', 'echo']);
      const out = join(sup.home, 'logs/echo-out.log');
      await waitFor('the first lines', () => read(out).endsWith('hello 3\n'));
      await sup.ok(['kill']);
      await sup.ok(['start', fixture('log-echo.js'), '--name', 'echo'], { env: { LINES: '0' } });
      await sup.waitForStatus('echo', 'online');
      expect(await sup.ok(['flush', 'echo'])).toContain(out);
      expect(sizeOf(out)).toBe(0);
    });
  });

  it('recreates a log file deleted under the daemon', async ({ sup }) => {
    await sup.ok(['start', fixture('log-ticker.js'), '--name', 'ticker'], { env: { TICK_MS: '100' } });
    const out = join(sup.home, 'logs/ticker-out.log');
    await waitFor(
      'a few ticks',
      () => linesOf(out).length >= 3,
      10_000,
      () => read(out),
    );
    const lastBefore = Number(/^tick (\d+)/.exec(linesOf(out).at(-1)!)![1]);
    rmSync(out);
    const deletedAt = Date.now();
    await waitFor(
      'the file to come back with new lines',
      () => linesOf(out).length >= 2,
      15_000,
      () => ({ exists: existsSync(out) }),
    );
    // sup notices within a second of the next write (printed; the deadline above only catches a file never reopened).
    console.log(`a deleted log file came back with new lines after ${Date.now() - deletedAt} ms`);
    const ticks = linesOf(out).map((l) => Number(/^tick (\d+) \d+$/.exec(l)?.[1]));
    expect(ticks[0]).toBeGreaterThan(lastBefore);
    ticks.forEach((n, i) => expect(n).toBe(ticks[0]! + i));
  });

  it('`sup reload-logs` after an external rename: new lines go to a fresh file, old lines stay in the renamed one', async ({ sup }) => {
    await sup.ok(['start', fixture('log-ticker.js'), '--name', 'ticker'], { env: { TICK_MS: '50' } });
    const out = join(sup.home, 'logs/ticker-out.log');
    const old = `${out}.old`;
    await waitFor(
      'a few ticks',
      () => linesOf(out).length >= 3,
      10_000,
      () => read(out),
    );
    renameSync(out, old);
    expect(await sup.ok(['reload-logs'])).toMatch(/^reopening \d+ log files? on their next write\n$/);
    await waitFor(
      'ticks in a fresh file',
      () => linesOf(out).length >= 3,
      10_000,
      () => ({ exists: existsSync(out) }),
    );
    await sup.ok(['stop', 'ticker']);

    const ticks = (path: string) => linesOf(path).map((l) => Number(/^tick (\d+) \d+$/.exec(l)?.[1]));
    const before = ticks(old);
    const after = ticks(out);
    expect(before[0]).toBe(1);
    // Every tick once: the old file up to the switch, the new one from there.
    [...before, ...after].forEach((n, i) => expect(n, `tick at position ${i}`).toBe(i + 1));
    expect(after.length).toBeGreaterThanOrEqual(3);
  });
});
