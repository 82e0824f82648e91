import { basename } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { AppConfig } from '../../config/app-config.js';
import { supFile } from '../../install-paths.js';
import type { SpawnSpec } from '../../protocol/keeper.js';

// Runtimes that take Node's IPC channel from their parent (process.send, process.on('message')): ready, message, trigger.
const IPC_RUNTIMES = /^(bun|deno)(\.exe)?$/;

/**
 * How one process of an app is started, for the keeper to carry out: a cluster worker (sup's runtime preloaded, to
 * drain its HTTP servers before a stop), a forked Node script with an IPC channel, or a program with its interpreter.
 */
export function spawnSpec(config: AppConfig, env: Record<string, string>): SpawnSpec {
  const account = { ...(config.uid === null ? {} : { uid: config.uid }), ...(config.gid === null ? {} : { gid: config.gid }) };
  const base = { args: config.args, cwd: config.cwd, env, ...account };
  if (config.exec_mode === 'cluster') {
    return {
      mode: 'cluster',
      file: config.script,
      execArgv: [...nodeFlags(config), '--import', pathToFileURL(supFile('workerRuntime')).href],
      ...base,
    };
  }
  if (config.interpreter === 'node') {
    // sup's app runtime is preloaded into fork-mode Node apps: one IPC message at start; the watchdog only when configured.
    return {
      mode: 'fork',
      node: true,
      file: config.script,
      execArgv: [...nodeFlags(config), '--import', pathToFileURL(supFile('appRuntime')).href],
      ...base,
    };
  }
  if (config.interpreter === 'none') {
    return { mode: 'fork', node: false, ...ipcFor(config.script), file: config.script, execArgv: [], ...base };
  }
  return {
    mode: 'fork',
    node: false,
    ...ipcFor(config.interpreter),
    file: config.interpreter,
    execArgv: [],
    ...base,
    args: [...config.interpreter_args, config.script, ...config.args],
  };
}

/** Bun or Deno as the interpreter, or as the program itself (`sup start "bun run x.ts"`). */
function ipcFor(program: string): { ipc?: true } {
  return IPC_RUNTIMES.test(basename(program)) ? { ipc: true } : {};
}

/**
 * Node's own flags for what PM2 does in its wrapper: an unhandled rejection is logged with its stack and the app runs on
 * (unhandled_rejections "log"; Node's default would crash it), and stack traces follow source maps. The app's own
 * flags come last and win.
 */
export function nodeFlags(config: AppConfig): string[] {
  const own = config.interpreter_args;
  const has = (flag: string) => own.some((arg) => arg === flag || arg.startsWith(`${flag}=`));
  const flags: string[] = [];
  if (config.unhandled_rejections === 'log' && !has('--unhandled-rejections')) flags.push('--unhandled-rejections=warn');
  if (config.source_map_support && !has('--enable-source-maps')) flags.push('--enable-source-maps');
  return [...flags, ...own];
}
