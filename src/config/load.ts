import { accessSync, constants, readFileSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { SupError } from '../errors.js';
import type { AppConfig } from './app-config.js';
import { normalizeApps, type NormalizeResult } from './normalize.js';

export interface LoadOptions {
  envName?: string | undefined;
  overrides?: Record<string, unknown>;
  /** `--only a,b`: keep these apps. */
  only?: string[] | undefined;
  /** false: names and settings only, without checking that scripts exist (for stop, delete). */
  checkRunnable?: boolean;
}

/** PM2's rule: *.json, *.yml/yaml and *.config.{js,cjs,mjs} are ecosystem files; anything else is a script. */
export function isEcosystemFile(target: string): boolean {
  return /\.(json|ya?ml)$/i.test(target) || /\.config\.(c|m)?js$/i.test(target);
}

/** Reads an ecosystem file and returns its apps, resolved and checked to be runnable. */
export function loadEcosystem(file: string, options: LoadOptions = {}): NormalizeResult {
  const path = resolve(file);
  const doc = parseFile(path, file);
  const result = normalizeApps(doc, {
    source: file,
    baseDir: dirname(path),
    cpuCount: availableParallelism(),
    envName: options.envName,
    overrides: options.overrides ?? {},
  });
  let apps = result.apps;
  if (options.only?.length) {
    const missing = options.only.filter((name) => !apps.some((a) => a.name === name));
    if (missing.length) {
      throw new SupError('NOT_FOUND', `${file}: --only names no app called ${missing.map((m) => `"${m}"`).join(', ')}`);
    }
    apps = apps.filter((a) => options.only!.includes(a.name));
  }
  if (options.checkRunnable === false) return { apps, warnings: result.warnings };
  return { apps: apps.map((app) => checkRunnable(app, file)), warnings: result.warnings };
}

/** One app from `sup start <script> [flags]`. */
export function appFromScript(script: string, overrides: Record<string, unknown>, cwd = process.cwd()): NormalizeResult {
  const result = normalizeApps({ script, ...overrides }, { source: 'command line', baseDir: cwd, cpuCount: availableParallelism() });
  return { apps: result.apps.map((app) => checkRunnable(app, 'command line')), warnings: result.warnings };
}

function parseFile(path: string, label: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new SupError(
      code === 'ENOENT' ? 'SCRIPT_NOT_FOUND' : 'INVALID_CONFIG',
      code === 'ENOENT' ? `${label}: no such file` : `${label}: cannot read (${code})`,
    );
  }
  if (!/\.json$/i.test(path)) {
    throw new SupError('INVALID_CONFIG', `${label}: only JSON ecosystem files are supported in this version of sup`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new SupError('INVALID_CONFIG', `${label}: invalid JSON${jsonLocation(text, (err as Error).message)}: ${(err as Error).message}`);
  }
}

function jsonLocation(text: string, message: string): string {
  const position = /position (\d+)/.exec(message)?.[1];
  if (position === undefined) return '';
  const before = text.slice(0, Number(position));
  const line = before.split('\n').length;
  const column = Number(position) - before.lastIndexOf('\n');
  return ` at line ${line}, column ${column}`;
}

/** Refuses an app whose script or interpreter cannot be found, before anything is started. */
export function checkRunnable(app: AppConfig, source: string): AppConfig {
  const label = source === 'command line' ? `app "${app.name}"` : `${source}: app "${app.name}"`;
  let script = app.script;
  if (app.interpreter === 'none' && !script.includes('/')) {
    script = findOnPath(script, app.env.PATH ?? process.env.PATH) ?? '';
    if (!script) throw new SupError('SCRIPT_NOT_FOUND', `${label}: "${app.script}" is not a file and was not found on PATH`);
  } else if (!isFile(script)) {
    throw new SupError('SCRIPT_NOT_FOUND', `${label}: script not found: ${app.script}`);
  }
  if (app.interpreter !== 'node' && app.interpreter !== 'none') {
    const found = app.interpreter.includes('/') ? isFile(app.interpreter) : findOnPath(app.interpreter, process.env.PATH);
    if (!found) throw new SupError('SCRIPT_NOT_FOUND', `${label}: interpreter "${app.interpreter}" was not found`);
  }
  if (!isDirectory(app.cwd)) throw new SupError('SCRIPT_NOT_FOUND', `${label}: cwd is not a directory: ${app.cwd}`);
  return { ...app, script };
}

export function findOnPath(command: string, pathVar: string | undefined): string | undefined {
  for (const dir of (pathVar ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, command);
    try {
      accessSync(candidate, constants.X_OK);
      if (isFile(candidate)) return candidate;
    } catch {
      // not here; keep looking
    }
  }
  return undefined;
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
