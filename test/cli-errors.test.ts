import { join } from 'node:path';
import { describe, expect } from 'vitest';
import { fixture } from './harness/paths.js';
import type { RunResult } from './harness/run.js';
import { writeEcosystem } from './helpers/apps.js';
import { it } from './helpers/sup-test.js';

/** A failed command: non-zero exit and exactly one line on stderr. */
function expectOneLineFailure(result: RunResult): string {
  expect(result.code, `stdout: ${result.stdout}\nstderr: ${result.stderr}`).not.toBe(0);
  const lines = result.stderr.trimEnd().split('\n');
  expect(lines, result.stderr).toHaveLength(1);
  return lines[0]!;
}

describe('CLI errors', () => {
  it('fails with one line naming an unknown app or id', async ({ sup }) => {
    await sup.ok(['start', fixture('forever.js'), '--name', 'web']);

    expect(expectOneLineFailure(await sup.run(['stop', 'nope']))).toMatch(/"nope"/);
    expect(expectOneLineFailure(await sup.run(['restart', '999']))).toMatch(/"999"/);
    // Nothing else was touched by the failed commands.
    expect(await sup.info('web')).toMatchObject({ status: 'online', restarts: 0 });
  });

  it('refuses a missing script before adding anything', async ({ sup }) => {
    const result = await sup.run(['start', 'does-not-exist.js']);
    expect(expectOneLineFailure(result)).toMatch(/does-not-exist\.js/);
    expect(JSON.parse(await sup.ok(['list', '--json']))).toEqual([]);
  });

  it('starts none of the apps of an ecosystem file when one script is missing', async ({ sup, dir }) => {
    const file = writeEcosystem(dir, [
      { name: 'good', script: fixture('forever.js') },
      { name: 'bad', script: join(dir, 'missing.js') },
    ]);
    const result = await sup.run(['start', file]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/missing\.js/);
    expect(result.stderr).toMatch(/"bad"/);
    expect(JSON.parse(await sup.ok(['list', '--json']))).toEqual([]);
  });

  it('refuses an ecosystem file with a bad value, naming the file, the app, the key and the value', async ({ sup, dir }) => {
    const file = writeEcosystem(dir, [
      { name: 'fine', script: fixture('forever.js') },
      { name: 'slowpoke', script: fixture('forever.js'), kill_timeout: 'fast' },
    ]);
    const result = await sup.run(['start', file]);
    expect(result.code).not.toBe(0);
    for (const part of [file, '"slowpoke"', 'kill_timeout', '"fast"']) expect(result.stderr).toContain(part);
    expect(JSON.parse(await sup.ok(['list', '--json']))).toEqual([]);
  });
});
