import { fileURLToPath, pathToFileURL } from 'node:url';
import type { AppConfig } from '../../config/app-config.js';
import type { SpawnSpec } from '../../protocol/keeper.js';

const WORKER_RUNTIME = pathToFileURL(fileURLToPath(new URL('../../bin/sup-worker-runtime.js', import.meta.url))).href;
// Preloaded into fork-mode Node apps: one IPC message at start; the watchdog only when configured.
const APP_RUNTIME = pathToFileURL(fileURLToPath(new URL('../../bin/sup-app-runtime.js', import.meta.url))).href;

/**
 * How one process of an app is started, for the keeper to carry out: a cluster worker (sup's runtime preloaded, to
 * drain its HTTP servers before a stop), a forked Node script with an IPC channel, or a program with its interpreter.
 */
export function spawnSpec(config: AppConfig, env: Record<string, string>): SpawnSpec {
  const base = { args: config.args, cwd: config.cwd, env };
  if (config.exec_mode === 'cluster') {
    return { mode: 'cluster', file: config.script, execArgv: [...config.interpreter_args, '--import', WORKER_RUNTIME], ...base };
  }
  if (config.interpreter === 'node') {
    return { mode: 'fork', node: true, file: config.script, execArgv: [...config.interpreter_args, '--import', APP_RUNTIME], ...base };
  }
  if (config.interpreter === 'none') return { mode: 'fork', node: false, file: config.script, execArgv: [], ...base };
  return {
    mode: 'fork',
    node: false,
    file: config.interpreter,
    execArgv: [],
    ...base,
    args: [...config.interpreter_args, config.script, ...config.args],
  };
}
