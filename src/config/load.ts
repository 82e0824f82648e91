import { availableParallelism } from 'node:os';
import { dirname, resolve } from 'node:path';
import { SupError } from '../errors.js';
import { resolvePaths } from '../paths.js';
import type { AppConfig } from './app-config.js';
import { readEnvFile } from './env-file.js';
export { isEcosystemFile } from './ecosystem-file.js';
import { appLabel, checkRunnable, hasPackage, isDirectory, isFile, shebang } from './runnable.js';
import { normalizeApps, type FileProbe, type NormalizeResult } from './normalize.js';
import { parseJsonText, parseYamlText, readEcosystem } from './read-ecosystem.js';

export interface LoadOptions {
  envName?: string | undefined;
  overrides?: Record<string, unknown>;
  /** `--only a,b`: keep these apps. */
  only?: string[] | undefined;
  /** false: names and settings only, without checking that scripts exist or reading env files (for stop, delete). */
  checkRunnable?: boolean;
}

/** What normalizing needs to know from the disk. */
const ON_DISK: FileProbe = { isFile, isDirectory, shebang, hasPackage };

/** Reads an ecosystem file (any format) and returns its apps, resolved and checked to be runnable. */
export async function loadEcosystem(file: string, options: LoadOptions = {}): Promise<NormalizeResult> {
  const path = resolve(file);
  return loadDocument(await readEcosystem(path, file), file, dirname(path), options);
}

/** `sup start -`: an ecosystem document (JSON or YAML) read from stdin; paths resolve against the caller's folder. */
export async function loadEcosystemText(text: string, options: LoadOptions = {}): Promise<NormalizeResult> {
  const label = 'stdin';
  const doc = /^\s*[[{]/.test(text) ? parseJsonText(text, label) : await parseYamlText(text, label);
  return loadDocument(doc, label, process.cwd(), options);
}

async function loadDocument(doc: unknown, file: string, baseDir: string, options: LoadOptions): Promise<NormalizeResult> {
  const result = normalizeApps(doc, {
    source: file,
    baseDir,
    cpuCount: availableParallelism(),
    envName: options.envName,
    overrides: options.overrides ?? {},
    callerDir: process.cwd(),
    logsDir: resolvePaths().logsDir,
    files: ON_DISK,
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
  return { apps: apps.map((app) => checkRunnable(withEnvFile(app, file), file)), warnings: result.warnings };
}

/** One app from `sup start <script> [flags]`. */
export function appFromScript(script: string, overrides: Record<string, unknown>, cwd = process.cwd()): NormalizeResult {
  const result = normalizeApps(
    { script, ...overrides },
    {
      source: 'command line',
      baseDir: cwd,
      callerDir: cwd,
      logsDir: resolvePaths().logsDir,
      cpuCount: availableParallelism(),
      files: ON_DISK,
    },
  );
  return { apps: result.apps.map((app) => checkRunnable(withEnvFile(app, 'command line'), 'command line')), warnings: result.warnings };
}

/** env_file values sit under the app's own env (and env_<name>), which win on a conflict. */
function withEnvFile(app: AppConfig, source: string): AppConfig {
  if (!app.env_file) return app;
  return { ...app, env: { ...readEnvFile(app.env_file, appLabel(app, source)), ...app.env } };
}
