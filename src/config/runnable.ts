import { accessSync, closeSync, constants, openSync, readSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, join } from 'node:path';
import { SupError } from '../errors.js';
import type { AppConfig } from './app-config.js';

export function appLabel(app: AppConfig, source: string): string {
  return source === 'command line' ? `app "${app.name}"` : `${source}: app "${app.name}"`;
}

/**
 * The last check before anything starts, on the client and again in the daemon (which never loads the file
 * readers): the script and interpreter exist, the cwd is a folder. Paths in the config are absolute by then.
 */
/** Refuses an app whose script or interpreter cannot be found, before anything is started. */
export function checkRunnable(app: AppConfig, source: string): AppConfig {
  const label = appLabel(app, source);
  let script = app.script;
  if (app.interpreter === 'none' && !script.includes('/')) {
    // As PM2: a program in the app's folder first, then on PATH.
    const local = join(app.cwd, script);
    script = (isExecutable(local) ? local : findOnPath(script, app.env.PATH ?? process.env.PATH)) ?? '';
    if (!script && isFile(local)) {
      throw new SupError('SCRIPT_NOT_FOUND', `${label}: "${app.script}" is not executable; \`chmod +x\` it, or set "interpreter"`);
    }
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
  return (pathVar ?? '')
    .split(delimiter)
    .filter(Boolean)
    .map((dir) => join(dir, command))
    .find(isExecutable);
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return isFile(path);
  } catch {
    return false;
  }
}

/** PM2 runs an extensionless script with node when it is not a binary; sup does when its #! line names node. */
export function shebang(path: string): string | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const head = Buffer.alloc(128);
    const line = head
      .subarray(0, readSync(fd, head, 0, head.length, 0))
      .toString('latin1')
      .split('\n')[0]!;
    return line.startsWith('#!') && /\bnode\b/.test(line) ? 'node' : undefined;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

export function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

export function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Whether `name` resolves as a package from `dir`, as the app's own imports would find it. */
export function hasPackage(name: string, dir: string): boolean {
  try {
    createRequire(join(dir, 'noop.js')).resolve(name);
    return true;
  } catch {
    return false;
  }
}
