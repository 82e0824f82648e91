import { execFileSync } from 'node:child_process';
import {
  closeSync,
  constants,
  existsSync,
  lstatSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LogFile } from './log-file.js';
import { rotatedName, type RotationPolicy } from './rotation.js';

const NO_ROTATION: RotationPolicy = { maxBytes: 0, retain: 5, compress: false };

/** Polls until `probe` is true, failing after the deadline with what `seen` shows. */
async function until(what: string, probe: () => boolean, timeoutMs = 5000, seen: () => unknown = () => undefined): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; seen: ${JSON.stringify(seen())}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A small deterministic PRNG, so that a failing cut pattern can be replayed. */
function random(seed: number): (max: number) => number {
  let s = seed;
  return (max) => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s % max;
  };
}

/** Numbered lines of varying length, as one buffer. */
function numberedLines(count: number, rnd: (max: number) => number): Buffer {
  const lines: string[] = [];
  for (let n = 1; n <= count; n++) lines.push(`${n} ${'z'.repeat(rnd(40))}\n`);
  return Buffer.from(lines.join(''));
}

/** Cuts a buffer into chunks of 1..maxChunk bytes, mostly in the middle of lines. */
function cut(data: Buffer, maxChunk: number, rnd: (max: number) => number): Buffer[] {
  const chunks: Buffer[] = [];
  for (let at = 0; at < data.length; ) {
    const size = 1 + rnd(maxChunk);
    chunks.push(data.subarray(at, at + size));
    at += size;
  }
  return chunks;
}

/** The rotated files of `path`, oldest first (.N … .1), with their content (gunzipped for .gz). */
function rotated(path: string): { name: string; content: Buffer }[] {
  const dir = join(path, '..');
  const base = path.slice(dir.length + 1);
  const names = readdirSync(dir)
    .map((f) => /^(.*)\.(\d+)(\.gz)?$/.exec(f))
    .filter((m): m is RegExpExecArray => m !== null && m[1] === base)
    .sort((a, b) => Number(b[2]) - Number(a[2]));
  return names.map((m) => {
    const raw = readFileSync(join(dir, m[0]));
    return { name: m[0], content: m[3] ? gunzipSync(raw) : raw };
  });
}

describe('LogFile', () => {
  let dir: string;
  let path: string;
  let reports: string[];
  let file: LogFile | undefined;
  const report = (m: string) => reports.push(m);

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sup-logfile-'));
    path = join(dir, 'app-out.log');
    reports = [];
  });

  afterEach(async () => {
    await file?.close();
    file = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes the bytes as they come, appending to what the file already holds', async () => {
    file = new LogFile(path, NO_ROTATION, report);
    file.write(Buffer.from('first\nsec'));
    file.write(Buffer.from('ond\n'));
    await file.close();
    file = new LogFile(path, NO_ROTATION, report);
    file.write(Buffer.from('third\n'));
    await file.close();
    expect(readFileSync(path, 'utf8')).toBe('first\nsecond\nthird\n');
    expect(reports).toEqual([]);
  });

  it('creates the folder of a new file', async () => {
    path = join(dir, 'deep', 'er', 'app.log');
    file = new LogFile(path, NO_ROTATION, report);
    file.write(Buffer.from('x\n'));
    await file.close();
    expect(readFileSync(path, 'utf8')).toBe('x\n');
  });

  describe('rotation', () => {
    it('keeps every line exactly once, in order, across the files, under many writes', async () => {
      const rnd = random(7);
      const data = numberedLines(20_000, rnd);
      const policy = { maxBytes: 4096, retain: 1000, compress: false };
      file = new LogFile(path, policy, report);
      for (const chunk of cut(data, 600, rnd)) file.write(chunk);
      await file.close();

      const files = rotated(path);
      expect(files.length).toBeGreaterThan(data.length / (policy.maxBytes + 600));
      const all = Buffer.concat([...files.map((f) => f.content), readFileSync(path)]);
      expect(all.length).toBe(data.length);
      expect(all.equals(data)).toBe(true);
      for (const f of files) {
        // Cut at line boundaries, and near the limit (at most one chunk past it).
        expect(f.content.at(-1), `${f.name} ends with a newline`).toBe(0x0a);
        expect(f.content.length, f.name).toBeLessThan(policy.maxBytes + 600);
        expect(f.content.length, f.name).toBeGreaterThan(policy.maxBytes - 600);
      }
      expect(readdirSync(dir).filter((f) => f.includes('.rotating-'))).toEqual([]);
      expect(reports).toEqual([]);
    });

    it('waits for a newline before rotating: a line longer than the limit is not split', async () => {
      file = new LogFile(path, { maxBytes: 100, retain: 5, compress: false }, report);
      const long = `${'L'.repeat(300)}\n`;
      file.write(Buffer.from(long.slice(0, 150)));
      file.write(Buffer.from(long.slice(150)));
      file.write(Buffer.from('next\n'));
      await file.close();
      expect(rotated(path).map((f) => f.content.toString())).toEqual([long]);
      expect(readFileSync(path, 'utf8')).toBe('next\n');
    });

    it('keeps log_retain rotated files and deletes the oldest', async () => {
      const rnd = random(11);
      const data = numberedLines(3000, rnd);
      file = new LogFile(path, { maxBytes: 1000, retain: 3, compress: false }, report);
      for (const chunk of cut(data, 200, rnd)) file.write(chunk);
      await file.close();

      const files = rotated(path);
      expect(files.map((f) => f.name)).toEqual(['app-out.log.3', 'app-out.log.2', 'app-out.log.1']);
      expect(existsSync(rotatedName(path, 4, false))).toBe(false);
      // What is left is the newest part of the output, still complete and in order.
      const kept = Buffer.concat([...files.map((f) => f.content), readFileSync(path)]);
      expect(data.subarray(data.length - kept.length).equals(kept)).toBe(true);
      expect(kept.toString().split('\n')[0]).toMatch(/^\d+ z*$/);
      expect(readdirSync(dir).sort()).toEqual(['app-out.log', 'app-out.log.1', 'app-out.log.2', 'app-out.log.3']);
    });

    it('with log_compress writes .gz files that gunzip to the rotated lines', async () => {
      const rnd = random(3);
      const data = numberedLines(6000, rnd);
      file = new LogFile(path, { maxBytes: 8000, retain: 100, compress: true }, report);
      for (const chunk of cut(data, 900, rnd)) file.write(chunk);
      await file.close();

      const files = rotated(path);
      expect(files.length).toBeGreaterThan(5);
      expect(files.every((f) => f.name.endsWith('.gz'))).toBe(true);
      for (const f of files) expect(f.content.at(-1), `${f.name} ends with a newline`).toBe(0x0a);
      const all = Buffer.concat([...files.map((f) => f.content), readFileSync(path)]);
      expect(all.equals(data)).toBe(true);
      expect(readdirSync(dir).filter((f) => !f.endsWith('.gz') && f !== 'app-out.log')).toEqual([]);
    });

    it('with log_compress and log_retain 2 keeps only .1.gz and .2.gz', async () => {
      const rnd = random(5);
      const data = numberedLines(2000, rnd);
      file = new LogFile(path, { maxBytes: 2000, retain: 2, compress: true }, report);
      for (const chunk of cut(data, 300, rnd)) file.write(chunk);
      await file.close();
      expect(readdirSync(dir).sort()).toEqual(['app-out.log', 'app-out.log.1.gz', 'app-out.log.2.gz']);
      const kept = Buffer.concat([...rotated(path).map((f) => f.content), readFileSync(path)]);
      expect(data.subarray(data.length - kept.length).equals(kept)).toBe(true);
    });
  });

  describe('a path that is not a regular file', () => {
    const lines = (count: number) => Buffer.from(Array.from({ length: count }, (_, i) => `line ${i} ${'y'.repeat(50)}\n`).join(''));

    // Rotation once renamed whatever was at the path, a FIFO included.
    it('never rotates a named pipe', async () => {
      const fifo = join(dir, 'collector.pipe');
      execFileSync('mkfifo', [fifo]);
      // Held open for reading (and writing, so that opening never blocks); the pipe buffer takes these few KB.
      const reader = openSync(fifo, constants.O_RDWR | constants.O_NONBLOCK);
      try {
        file = new LogFile(fifo, { maxBytes: 1024, retain: 3, compress: false }, report);
        for (const chunk of cut(lines(100), 200, random(1))) file.write(chunk);
        await file.close();
        expect(readdirSync(dir)).toEqual(['collector.pipe']);
        expect(lstatSync(fifo).isFIFO()).toBe(true);
      } finally {
        closeSync(reader);
      }
    });

    // The same for a link to a device, like out_file "/dev/stdout" in a container: never renamed away.
    it('never rotates a link to a character device', async () => {
      const link = join(dir, 'stdout');
      symlinkSync('/dev/null', link);
      file = new LogFile(link, { maxBytes: 1024, retain: 3, compress: false }, report);
      for (const chunk of cut(lines(100), 200, random(2))) file.write(chunk);
      await file.close();
      expect(readdirSync(dir)).toEqual(['stdout']);
      expect(lstatSync(link).isSymbolicLink()).toBe(true);
      expect(statSync('/dev/null').isCharacterDevice()).toBe(true);
    });
  });

  it('recreates a file deleted under it on a write about a second later', async () => {
    file = new LogFile(path, NO_ROTATION, report);
    file.write(Buffer.from('before\n'));
    await until('the first line on disk', () => existsSync(path) && readFileSync(path, 'utf8') === 'before\n');
    rmSync(path);
    const deletedAt = Date.now();
    let n = 0;
    await until(
      'the file to be recreated',
      () => {
        file!.write(Buffer.from(`tick ${++n}\n`));
        return existsSync(path);
      },
      5000,
      () => ({ n, files: readdirSync(dir) }),
    );
    const recreatedAfter = Date.now() - deletedAt;
    expect(recreatedAfter).toBeLessThan(3000);
    file.write(Buffer.from('after\n'));
    await file.close();
    // The write that recreated the file is its first line (earlier ticks went to the deleted file).
    expect(readFileSync(path, 'utf8')).toBe(`tick ${n}\nafter\n`);
    // Said once: the lines of that second are in a file nobody can open any more.
    expect(reports).toEqual([`${path} was removed or renamed; writing to a new file there (lines of the last second went to the old one)`]);
  });

  it('starts a new file after an external rename, and the old file keeps its lines', async () => {
    file = new LogFile(path, NO_ROTATION, report);
    file.write(Buffer.from('old 1\nold 2\n'));
    await until('the old lines on disk', () => existsSync(path) && statSync(path).size === 12);
    renameSync(path, `${path}.old`);
    let n = 0;
    await until('a new file', () => {
      file!.write(Buffer.from(`new ${++n}\n`));
      return existsSync(path);
    });
    await file.close();
    const old = readFileSync(`${path}.old`, 'utf8');
    const fresh = readFileSync(path, 'utf8');
    expect(old.startsWith('old 1\nold 2\n')).toBe(true);
    // Lines written before the change was noticed follow the old descriptor; none is lost or doubled.
    const all = (old + fresh).split('\n').filter(Boolean);
    expect(all).toEqual(['old 1', 'old 2', ...Array.from({ length: n }, (_, i) => `new ${i + 1}`)]);
    expect(fresh).toBe(`new ${n}\n`);
  });

  it('reopen() sends new lines to a fresh file at once', async () => {
    file = new LogFile(path, NO_ROTATION, report);
    file.write(Buffer.from('old\n'));
    await until('the old line on disk', () => existsSync(path) && statSync(path).size === 4);
    renameSync(path, `${path}.1`);
    file.reopen();
    file.write(Buffer.from('new\n'));
    await file.close();
    expect(readFileSync(`${path}.1`, 'utf8')).toBe('old\n');
    expect(readFileSync(path, 'utf8')).toBe('new\n');
  });

  it('truncate() empties the file, and writing goes on from its start', async () => {
    file = new LogFile(path, NO_ROTATION, report);
    const before = Buffer.from('line\n'.repeat(1000));
    file.write(before);
    await until(
      'the lines on disk',
      () => existsSync(path) && statSync(path).size === before.length,
      5000,
      () => statSync(path).size,
    );
    file.truncate();
    expect(statSync(path).size).toBe(0);
    file.write(Buffer.from('fresh\n'));
    await file.close();
    expect(readFileSync(path, 'utf8')).toBe('fresh\n');
  });

  it('truncate() before anything was written is harmless', async () => {
    file = new LogFile(path, NO_ROTATION, report);
    file.truncate();
    file.write(Buffer.from('x\n'));
    await file.close();
    expect(readFileSync(path, 'utf8')).toBe('x\n');
    expect(reports).toEqual([]);
  });

  it.skipIf(!existsSync('/dev/full'))('on a device that is always full (ENOSPC on every write) reports once and never throws', async () => {
    // maxBytes 0: never rotate, which would rename /dev/full.
    file = new LogFile('/dev/full', NO_ROTATION, report);
    const line = Buffer.from('no room for this line\n');
    for (let i = 0; i < 200; i++) expect(() => file!.write(line)).not.toThrow();
    await until(
      'the failure to be reported',
      () => reports.length > 0,
      5000,
      () => reports,
    );
    for (let i = 0; i < 200; i++) expect(file.write(line)).toBeUndefined();
    expect(reports).toHaveLength(1);
    expect(reports[0]).toContain('/dev/full');
    expect(reports[0]).toContain('ENOSPC');

    // The file is retried every 10 s; jump past that and let the retry fail again: still one report.
    const realNow = Date.now;
    const state = () => (file as unknown as { state: string }).state;
    try {
      Date.now = () => realNow() + 11_000;
      expect(() => file!.write(line)).not.toThrow();
      expect(state()).toBe('open');
      await until('the retry to fail', () => state() === 'failed', 5000, state);
    } finally {
      Date.now = realNow;
    }
    expect(reports).toHaveLength(1);
    await expect(file.close()).resolves.toBeUndefined();
  });
});
