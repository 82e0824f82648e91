import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect } from 'vitest';
import { fixture } from './harness/paths.js';
import type { SupHome } from './harness/sup-home.js';
import { waitFor } from './harness/wait.js';
import { writeEcosystem } from './helpers/apps.js';
import { it } from './helpers/sup-test.js';

const LINES = 100_000;
const LINE_BYTES = 71;
const MB = 1024 * 1024;
const burstLine = (n: number) => `${String(n).padStart(7, '0')} ${'x'.repeat(62)}\n`;

interface Piece {
  name: string;
  content: Buffer;
}

function ecosystem(sup: SupHome, app: Record<string, unknown>): string {
  return writeEcosystem(sup.home, [{ name: 'burst', script: fixture('burst.js'), env: { BURST_LINES: String(LINES) }, ...app }]);
}

/** The rotated files of burst-out.log, oldest first (.N … .1, gunzipped), then the current file. */
function pieces(logs: string): Piece[] {
  const rotated = readdirSync(logs)
    .map((f) => /^burst-out\.log\.(\d+)(\.gz)?$/.exec(f))
    .filter((m): m is RegExpExecArray => m !== null)
    .sort((a, b) => Number(b[1]) - Number(a[1]))
    .map((m) => {
      const raw = readFileSync(join(logs, m[0]));
      return { name: m[0], content: m[2] ? gunzipSync(raw) : raw };
    });
  const current = join(logs, 'burst-out.log');
  return [...rotated, { name: 'burst-out.log', content: existsSync(current) ? readFileSync(current) : Buffer.alloc(0) }];
}

/** Rotation is done when no file is still set aside (being numbered or compressed). */
const settled = (logs: string) => readdirSync(logs).every((f) => !f.includes('.rotating-'));

/** Waits until the burst's last line is in the current file and every rotation has finished. */
async function waitForBurst(logs: string, timeoutMs = 90_000): Promise<void> {
  const current = join(logs, 'burst-out.log');
  const last = burstLine(LINES);
  await waitFor(
    'the whole burst written and rotated',
    () => existsSync(current) && readFileSync(current, 'latin1').endsWith(last) && settled(logs),
    timeoutMs,
    () => readdirSync(logs),
  );
}

/** Every line from `first` to LINES exactly once, in order; fails at the first line that is not. */
function expectSequence(all: Buffer, first: number): void {
  const text = all.toString('latin1');
  expect(text.length % LINE_BYTES, 'whole lines only').toBe(0);
  const count = text.length / LINE_BYTES;
  for (let i = 0; i < count; i++) {
    const line = text.slice(i * LINE_BYTES, (i + 1) * LINE_BYTES);
    if (line !== burstLine(first + i)) expect.fail(`line ${i + 1} is ${JSON.stringify(line)}, expected line ${first + i} of the burst`);
  }
  expect(first + count - 1).toBe(LINES);
}

function expectCutAtLines(files: Piece[]): void {
  for (const f of files) {
    expect(f.content.length, `${f.name} is empty`).toBeGreaterThan(0);
    expect(f.content.at(-1), `${f.name} ends with a newline`).toBe(0x0a);
  }
}

describe('log rotation under a burst', () => {
  it('rotates at 1M without losing or repeating a line, cutting at line boundaries', async ({ sup }) => {
    await sup.ok(['start', ecosystem(sup, { log_max_size: '1M', log_retain: 20 })]);
    const logs = join(sup.home, 'logs');
    await waitForBurst(logs);

    const files = pieces(logs);
    // 7.1 MB in files of 1 MiB (and at most one read of the pipe more): six rotated files and the current one.
    expect(files.map((f) => f.name)).toEqual([6, 5, 4, 3, 2, 1].map((n) => `burst-out.log.${n}`).concat('burst-out.log'));
    expectCutAtLines(files);
    for (const f of files.slice(0, -1)) {
      expect(f.content.length, f.name).toBeGreaterThanOrEqual(MB - LINE_BYTES);
      expect(f.content.length, f.name).toBeLessThan(2 * MB);
    }
    expectSequence(Buffer.concat(files.map((f) => f.content)), 1);
  });

  it('with log_compress the rotated files are .gz and gunzip to complete lines', async ({ sup }) => {
    await sup.ok(['start', ecosystem(sup, { log_max_size: '1M', log_retain: 20, log_compress: true })]);
    const logs = join(sup.home, 'logs');
    await waitForBurst(logs);

    const files = pieces(logs);
    expect(files.map((f) => f.name)).toEqual([6, 5, 4, 3, 2, 1].map((n) => `burst-out.log.${n}.gz`).concat('burst-out.log'));
    expect(readdirSync(logs).filter((f) => /^burst-out\.log\.\d+$/.test(f))).toEqual([]);
    expectCutAtLines(files);
    expectSequence(Buffer.concat(files.map((f) => f.content)), 1);
  });

  it('keeps only log_retain rotated files: the newest lines, still complete and in order', async ({ sup }) => {
    await sup.ok(['start', ecosystem(sup, { log_max_size: '1M', log_retain: 2 })]);
    const logs = join(sup.home, 'logs');
    await waitForBurst(logs);

    expect(
      readdirSync(logs)
        .filter((f) => f.startsWith('burst-out'))
        .sort(),
    ).toEqual(['burst-out.log', 'burst-out.log.1', 'burst-out.log.2']);
    const files = pieces(logs);
    expectCutAtLines(files);
    const kept = Buffer.concat(files.map((f) => f.content));
    const first = Number(kept.subarray(0, 7).toString());
    // About 2 MB of older files plus the current one: the first kept line is far into the burst.
    expect(first).toBeGreaterThan(LINES - 4 * Math.ceil(MB / LINE_BYTES));
    expectSequence(kept, first);
  });
});
