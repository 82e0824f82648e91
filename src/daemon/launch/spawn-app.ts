import { fork, spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import type { AppConfig } from '../../config/app-config.js';

/**
 * Starts one process of an app. Node scripts are forked with an IPC channel; anything else is spawned.
 * `detached` makes the app a process-group leader, so that stop can signal its whole group.
 */
export function spawnApp(config: AppConfig, env: Record<string, string>): ChildProcess {
  const stdio: StdioOptions = ['ignore', 'pipe', 'pipe'];
  const options = { cwd: config.cwd, env, detached: true };
  if (config.interpreter === 'node') {
    return fork(config.script, config.args, {
      ...options,
      execPath: process.execPath,
      execArgv: config.interpreter_args,
      stdio: [...stdio, 'ipc'],
    });
  }
  if (config.interpreter === 'none') return spawn(config.script, config.args, { ...options, stdio });
  return spawn(config.interpreter, [...config.interpreter_args, config.script, ...config.args], { ...options, stdio });
}
