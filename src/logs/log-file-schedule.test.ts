import { mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LogFile } from './log-file.js';

/** Polls until `probe` is true, failing after the deadline with what `seen` shows. */
async function until(what: string, probe: () => boolean, seen: () => unknown, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; seen: ${JSON.stringify(seen())}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('LogFile rotation by time and retention by age', () => {
  let dir: string;
  let file: LogFile | undefined;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sup-logsched-'));
  });
  afterEach(async () => {
    await file?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('rotates on the schedule at a line end, keeping every line once, and deletes rotated files past log_max_age', async () => {
    const path = join(dir, 'app.log');
    // Rotated files of long ago: gone after the next rotation; a recent one stays (renumbered).
    writeFileSync(`${path}.1`, 'recent\n');
    writeFileSync(`${path}.2`, 'old\n');
    const old = (Date.now() - 3 * 86_400_000) / 1000;
    utimesSync(`${path}.2`, old, old);
    file = new LogFile(path, { maxBytes: 0, retain: 10, compress: false, interval: '* * * * * *', maxAgeMs: 86_400_000 }, () => undefined);
    const written: string[] = [];
    let n = 0;
    const names = () => readdirSync(dir).sort();
    await until(
      'a rotation by time',
      () => {
        const line = `line ${++n}\n`;
        written.push(line);
        // A line in two pieces: rotation waits for its end.
        file!.write(Buffer.from(line.slice(0, 3)));
        file!.write(Buffer.from(line.slice(3)));
        const first = readdirSync(dir).includes('app.log.1') ? readFileSync(join(dir, 'app.log.1'), 'utf8') : '';
        return first.startsWith('line') && !names().includes('app.log.3');
      },
      names,
    );
    await file.close();
    file = undefined;
    const all = ['app.log.2', 'app.log.1', 'app.log'].map((name) => readFileSync(join(dir, name), 'utf8')).join('');
    expect(all).toBe(`recent\n${written.join('')}`);
    expect(names()).toEqual(['app.log', 'app.log.1', 'app.log.2']);
  });
});
