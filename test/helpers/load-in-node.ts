import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { AppConfig } from '../../src/config/app-config.js';
import type { LoadOptions } from '../../src/config/load.js';
import { SupError } from '../../src/errors.js';
import { TEST_ROOT } from './sup-test.js';

const LOADER = `
import { loadEcosystem } from ${JSON.stringify(resolve(import.meta.dirname, '../../dist/config/load.js'))};
try {
  console.log(JSON.stringify(await loadEcosystem(process.argv[2], JSON.parse(process.argv[3]))));
} catch (err) {
  console.log(JSON.stringify({ error: { code: err.code, message: err.message } }));
}`;

let loader: string | undefined;
/**
 * The loader script of this test process, written once: test files run in parallel processes, and one file that
 * each of them rewrote while another ran it was sometimes read empty ("Unexpected end of JSON input").
 */
function loaderFile(): string {
  if (!loader) {
    mkdirSync(TEST_ROOT, { recursive: true, mode: 0o700 });
    loader = join(TEST_ROOT, `load-ecosystem-${process.pid}.mjs`);
    writeFileSync(loader, LOADER);
  }
  return loader;
}

type Loaded = { apps: AppConfig[]; warnings: string[]; error?: undefined } | { error: { code: string; message: string } };

/**
 * sup's ecosystem loader (the built one), run in a plain Node process as the CLI runs it: vitest's own
 * module loader would stand in for Node's import() and change what a CommonJS, ESM or broken file does.
 * A script file, not `node -e`: an eval'd script has `module` and `require` globals that real configs lack.
 */
export async function loadInNode(file: string, options: LoadOptions = {}): Promise<{ apps: AppConfig[]; warnings: string[] }> {
  const { stdout } = await promisify(execFile)(process.execPath, [loaderFile(), file, JSON.stringify(options)]);
  const loaded = JSON.parse(stdout) as Loaded;
  if (loaded.error) throw new SupError(loaded.error.code as SupError['code'], loaded.error.message);
  return loaded;
}

const loads = new Map<string, Promise<{ apps: AppConfig[]; warnings: string[] }>>();

/** loadInNode, once per file and options: for fixtures that never change during the run. */
export function loadFixtureInNode(file: string, options: LoadOptions = {}): Promise<{ apps: AppConfig[]; warnings: string[] }> {
  const key = JSON.stringify([file, options]);
  if (!loads.has(key)) loads.set(key, loadInNode(file, options));
  return loads.get(key)!;
}
