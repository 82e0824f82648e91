import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from './harness/paths.js';

/** The packages each bundle took in (dist/bundle-inputs.json, written by scripts/bundle.js at build time). */
function packagesIn(bundle: string): string[] {
  const inputs = JSON.parse(readFileSync(join(REPO, 'dist/bundle-inputs.json'), 'utf8')) as Record<string, string[]>;
  expect(inputs[bundle], `${bundle} in dist/bundle-inputs.json`).toBeDefined();
  return [...new Set(inputs[bundle]!.filter((i) => i.includes('node_modules/')).map((i) => i.split('node_modules/')[1]!.split('/')[0]!))];
}

describe("sup's own processes carry few dependencies", () => {
  it('the keeper, which holds every app, loads no npm package at all', () => {
    expect(packagesIn('dist/bin/sup-keeper.js')).toEqual([]);
  });

  it('the daemon loads no validation, WebSocket or argument library (zod, ws, yargs)', () => {
    const packages = packagesIn('dist/bin/sup-daemon.js');
    for (const heavy of ['zod', 'ws', 'yargs', 'blessed', 'chokidar']) expect(packages).not.toContain(heavy);
  });

  it("the CLI's fast path bundles none of them either: packages load from node_modules when a command needs one", () => {
    expect(packagesIn('dist/sup-cli.cjs')).toEqual([]);
  });
});
