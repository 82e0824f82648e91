import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect } from 'vitest';
import { fixture, REPO } from './harness/paths.js';
import { it } from './helpers/sup-test.js';

/** The packages each bundle took in (dist/bundle-inputs.json, written by scripts/bundle.js at build time). */
function packagesIn(bundle: string): string[] {
  const inputs = JSON.parse(readFileSync(join(REPO, 'dist/bundle-inputs.json'), 'utf8')) as Record<string, string[]>;
  expect(inputs[bundle], `${bundle} in dist/bundle-inputs.json`).toBeDefined();
  return [...new Set(inputs[bundle]!.filter((i) => i.includes('node_modules/')).map((i) => i.split('node_modules/')[1]!.split('/')[0]!))];
}

describe("sup's own processes carry few dependencies", () => {
  it('the keeper, which holds every app, loads no npm package at all', () => {
    expect(packagesIn('dist/bin/sup-keeper.cjs')).toEqual([]);
  });

  it('the daemon loads no validation, WebSocket or argument library (zod, ws, yargs)', () => {
    const packages = packagesIn('dist/bin/sup-daemon.cjs');
    for (const heavy of ['zod', 'ws', 'yargs', 'blessed', 'chokidar']) expect(packages).not.toContain(heavy);
  });
});

describe("the CLI's fast path", () => {
  it('list, jlist, ping, restart, stop and delete of a named app load no npm package (no yargs, no zod)', async ({ sup }) => {
    await sup.ok(['start', fixture('forever.js'), '--name', 'web']);
    const preload = { NODE_OPTIONS: `--require ${join(REPO, 'test/fixtures/loaded-packages.cjs')}` };
    for (const args of [['list'], ['jlist'], ['ping'], ['restart', 'web'], ['stop', 'web'], ['delete', 'web']]) {
      const r = await sup.run(args, { env: preload });
      expect(r.code, `sup ${args.join(' ')}: ${r.stderr}`).toBe(0);
      expect(r.stderr, `sup ${args.join(' ')}`).toContain('packages loaded: []');
    }
    // And the hook does see a package required.
    const probe = spawnSync(process.execPath, ['-e', "require('json5')"], {
      cwd: REPO,
      env: { ...process.env, ...preload },
      encoding: 'utf8',
    });
    expect(probe.stderr).toContain('packages loaded: [json5]');
  });
});
