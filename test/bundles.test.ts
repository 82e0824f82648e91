import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect } from 'vitest';
import { fixture, REPO } from './harness/paths.js';
import { isAlive } from './harness/proc.js';
import { waitFor } from './harness/wait.js';
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

describe('the daemon and the keeper', () => {
  it('load no node:crypto once the home has its token (its module costs each ~0.45 MiB for as long as it runs)', async ({ sup }) => {
    const preload = { NODE_OPTIONS: `--require ${join(REPO, 'test/fixtures/loaded-builtins.cjs')}` };
    await sup.ok(['start', fixture('forever.js'), '--name', 'web'], { env: preload });
    await sup.ok(['restart', 'web']);
    await sup.ok(['kill']);
    for (const which of ['daemon', 'keeper']) {
      const loaded = JSON.parse(readFileSync(join(sup.home, `${which}-builtins.json`), 'utf8')) as string[];
      expect(loaded, which).toContain('net');
      expect(
        loaded.filter((m) => m.includes('crypto')),
        which,
      ).toEqual([]);
    }
  });

  // The daemon's old entry (dist/bin/sup-daemon.js, which a keeper from before an update names) is started in
  // test/daemon.test.ts ("lets a second daemon on the same home exit quietly").
  it('the keeper still starts from the entry older systemd units name (dist/bin/sup-keeper.js)', async ({ sup }) => {
    const keeper = spawn(process.execPath, [join(REPO, 'dist/bin/sup-keeper.js')], {
      env: { ...sup.env(), SUP_KEEPER_MODE: 'service' },
      stdio: 'ignore',
      detached: true,
    });
    keeper.unref();
    try {
      await waitFor('the keeper of the old path to start a daemon', () => isAlive(sup.daemonPid() ?? 0), 30_000);
      expect(sup.keeperPid()).toBe(keeper.pid);
      expect(await sup.ok(['start', fixture('forever.js'), '--name', 'web'])).toMatch(/web/);
    } finally {
      await sup.run(['kill']);
      if (keeper.pid !== undefined && isAlive(keeper.pid)) keeper.kill('SIGKILL');
    }
  });
});

describe("the full CLI's bundle", () => {
  it('takes in yargs and zod, and of zod’s locales English only', () => {
    expect(packagesIn('dist/cli-bundle/')).toEqual(expect.arrayContaining(['yargs', 'zod']));
    const inputs = JSON.parse(readFileSync(join(REPO, 'dist/bundle-inputs.json'), 'utf8')) as Record<string, string[]>;
    expect(inputs['dist/cli-bundle/']!.filter((i) => i.includes('/zod/v4/locales/'))).toEqual(['node_modules/zod/v4/locales/en.js']);
  });

  it('carries yargs and zod inside: `sup start` imports no npm package, unless a YAML file needs its parser', async ({ sup, dir }) => {
    const out = join(dir, 'imported.txt');
    const env = {
      NODE_OPTIONS: `--import ${pathToFileURL(join(REPO, 'test/fixtures/package-probe/register.mjs')).href}`,
      PACKAGE_PROBE_OUT: out,
    };
    const imported = () => (existsSync(out) ? readFileSync(out, 'utf8').trim().split('\n').filter(Boolean) : []);
    const json = join(dir, 'apps.json');
    writeFileSync(json, JSON.stringify({ apps: [{ name: 'web', script: fixture('forever.js') }] }));
    for (const args of [['--version'], ['start', json], ['start', join(dir, 'missing.js')]]) {
      await sup.run(args, { env });
      expect(imported(), `sup ${args.join(' ')}`).toEqual([]);
    }
    // And the hook does see a package imported.
    const yaml = join(dir, 'apps.yaml');
    writeFileSync(yaml, `apps:\n  - name: other\n    script: ${fixture('forever.js')}\n`);
    expect((await sup.run(['start', yaml], { env })).code).toBe(0);
    expect(imported().some((f) => f.startsWith('yaml/'))).toBe(true);
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
