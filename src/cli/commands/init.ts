import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, extname, resolve } from 'node:path';
import { isEcosystemFile } from '../../config/ecosystem-file.js';
import { SupError } from '../../errors.js';
import { initTemplate, type InitFormat } from '../init-templates.js';
import { print } from '../session.js';

const FORMATS: Record<string, InitFormat> = { '.js': 'js', '.cjs': 'cjs', '.mjs': 'mjs', '.json': 'json', '.yaml': 'yaml', '.yml': 'yaml' };

/** `sup init [file]`: writes a commented ecosystem file for the project in this folder; never overwrites one. */
export function run(args: { file?: string | undefined; json: boolean; yaml: boolean; force: boolean }): void {
  const file = resolve(args.file ?? (args.json ? 'ecosystem.config.json' : args.yaml ? 'ecosystem.config.yaml' : 'ecosystem.config.js'));
  const format = FORMATS[extname(file).toLowerCase()];
  if (!format) throw new SupError('USAGE', `init writes .js, .cjs, .mjs, .json, .yaml or .yml files, not "${basename(file)}"`);
  // sup (like PM2) takes only *.config.js files for ecosystem files; any other .js is a script to run.
  if (!isEcosystemFile(file)) {
    throw new SupError(
      'USAGE',
      `"${basename(file)}" would be run as a script, not read as an ecosystem file; name it like "${basename(file).replace(/\.(c|m)?js$/i, '.config.$1js')}"`,
    );
  }
  if (existsSync(file) && !args.force) throw new SupError('ALREADY_EXISTS', `${file} already exists; add --force to overwrite it`);
  const { name, script, esm } = guessApp(process.cwd());
  writeFileSync(file, initTemplate(format, name, script, basename(file), esm), { flag: args.force ? 'w' : 'wx' });
  print(`wrote ${file}\nstart it with: sup start ${basename(file)}`);
}

/** The app in this folder: package.json's name and main, or the first usual entry file. */
function guessApp(dir: string): { name: string; script: string; esm: boolean } {
  let pkg: { name?: unknown; main?: unknown; type?: unknown } = {};
  try {
    pkg = JSON.parse(readFileSync(resolve(dir, 'package.json'), 'utf8')) as typeof pkg;
  } catch {
    // no package.json: fall back to the folder's name
  }
  const name = (typeof pkg.name === 'string' ? pkg.name.replace(/^@[^/]+\//, '') : basename(dir)).replace(/[^\w.-]/g, '-') || 'app';
  const candidates = [typeof pkg.main === 'string' ? pkg.main : '', 'index.js', 'app.js', 'server.js', 'main.js'];
  const script = candidates.find((c) => c && existsSync(resolve(dir, c))) ?? 'app.js';
  return {
    name: /^\d+$/.test(name) || name === 'all' ? `app-${name}` : name,
    script: script.startsWith('.') ? script : `./${script}`,
    esm: pkg.type === 'module',
  };
}
