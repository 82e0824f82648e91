import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect } from 'vitest';
import { fixture } from './harness/paths.js';
import { isAlive } from './harness/proc.js';
import type { SupHome } from './harness/sup-home.js';
import { waitForLogLine } from './helpers/apps.js';
import { it } from './helpers/sup-test.js';

/** `sup init` in a project folder, and ecosystem files in other formats, through the real CLI. */

const SERVER = `console.log('server ' + process.pid + ' in ' + process.cwd());\nsetInterval(() => {}, 1 << 30);\n`;

/** Makes the folder a project as `npm init` leaves it: package.json naming the entry file, and the entry file. */
function makeProject(dir: string): void {
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'myapp', version: '1.0.0', main: 'server.js' }, null, 2));
  writeFileSync(join(dir, 'server.js'), SERVER);
}

/** Starts the file from the project folder and checks that the project's app runs there. */
async function startsTheApp(sup: SupHome, dir: string, file: string): Promise<void> {
  const out = await sup.ok(['start', file], { cwd: dir });
  expect(out).toContain('started myapp');
  const [app] = await sup.waitForStatus('myapp', 'online');
  expect(isAlive(app!.pid!)).toBe(true);
  const line = await waitForLogLine(sup, 'myapp', new RegExp(`^server ${app!.pid} in `));
  expect(line).toBe(`server ${app!.pid} in ${dir}`);
}

describe('sup init', () => {
  it('writes ecosystem.config.js for the project in the folder, which starts the app; never overwrites it', async ({ sup, dir }) => {
    makeProject(dir);
    const path = join(dir, 'ecosystem.config.js');

    const out = await sup.ok(['init'], { cwd: dir });
    expect(out).toContain(path);
    expect(existsSync(path)).toBe(true);
    const written = readFileSync(path, 'utf8');
    await startsTheApp(sup, dir, 'ecosystem.config.js');

    const again = await sup.run(['init'], { cwd: dir });
    expect(again.code, again.stdout).not.toBe(0);
    expect(again.stderr).toContain('already exists');
    expect(readFileSync(path, 'utf8')).toBe(written);
  });

  it('init --json and init --yaml write files that start the app too', async ({ sup, dir }) => {
    makeProject(dir);

    await sup.ok(['init', '--json'], { cwd: dir });
    const json = join(dir, 'ecosystem.config.json');
    expect(existsSync(json)).toBe(true);
    expect(JSON.parse(readFileSync(json, 'utf8')).apps[0]).toMatchObject({ name: 'myapp', script: './server.js' });
    await startsTheApp(sup, dir, 'ecosystem.config.json');
    await sup.ok(['delete', 'myapp']);

    await sup.ok(['init', '--yaml'], { cwd: dir });
    const yaml = join(dir, 'ecosystem.config.yaml');
    expect(existsSync(yaml)).toBe(true);
    await startsTheApp(sup, dir, 'ecosystem.config.yaml');

    const again = await sup.run(['init', '--yaml'], { cwd: dir });
    expect(again.code).not.toBe(0);
    expect(again.stderr).toContain('already exists');
  });
});

describe('ecosystem formats through the CLI', () => {
  it('starts the apps of a .yaml file and of an .mjs file whose default export is an async function', async ({ sup, dir }) => {
    const script = fixture('print-vars.js');
    writeFileSync(
      join(dir, 'apps.yaml'),
      [
        'apps:',
        '  - name: from-yaml',
        `    script: ${JSON.stringify(script)}`,
        '    args: [FORMAT]',
        '    env:',
        '      FORMAT: yaml',
        '',
      ].join('\n'),
    );
    writeFileSync(
      join(dir, 'apps.config.mjs'),
      [
        'export default async function () {',
        '  await new Promise((resolve) => setTimeout(resolve, 10));',
        `  return { apps: [{ name: 'from-mjs', script: ${JSON.stringify(script)}, args: ['FORMAT'], env: { FORMAT: 'mjs' } }] };`,
        '}',
        '',
      ].join('\n'),
    );

    for (const [file, name, format] of [
      ['apps.yaml', 'from-yaml', 'yaml'],
      ['apps.config.mjs', 'from-mjs', 'mjs'],
    ] as const) {
      const out = await sup.ok(['start', file], { cwd: dir });
      expect(out).toContain(`started ${name}`);
      const [app] = await sup.waitForStatus(name, 'online');
      const line = await waitForLogLine(sup, name, new RegExp(`"pid":${app!.pid},`));
      expect(JSON.parse(line).vars).toEqual({ FORMAT: format });
    }
    expect((await sup.list()).map((p) => p.name).sort()).toEqual(['from-mjs', 'from-yaml']);
  });
});
