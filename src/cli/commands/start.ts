import { existsSync } from 'node:fs';
import { appFromScript, isEcosystemFile, loadEcosystem, loadEcosystemText } from '../../config/load.js';
import type { NormalizeResult } from '../../config/normalize.js';
import { SupError } from '../../errors.js';
import { labels, print, printProcessTable, shellEnv, warn, withDaemon } from '../session.js';

export interface StartArgs {
  target: string;
  name?: string | undefined;
  interpreter?: string | undefined;
  interpreterArgs?: string | undefined;
  cwd?: string | undefined;
  instances?: string | undefined;
  autorestart?: boolean | undefined;
  maxRestarts?: number | undefined;
  minUptime?: string | undefined;
  restartDelay?: string | undefined;
  expBackoffRestartDelay?: string | undefined;
  killTimeout?: string | undefined;
  killSignal?: string | undefined;
  namespace?: string | undefined;
  output?: string | undefined;
  error?: string | undefined;
  mergeLogs?: boolean | undefined;
  maxMemoryRestart?: string | undefined;
  watch?: string | undefined;
  ignoreWatch?: string | undefined;
  watchDelay?: string | undefined;
  cronRestart?: string | undefined;
  env?: string | undefined;
  only?: string | undefined;
  force: boolean;
  args: string[];
}

/** CLI flags in ecosystem-file terms, so that they are validated and reported exactly like file values. */
function overridesFrom(args: StartArgs): Record<string, unknown> {
  const map: Record<string, unknown> = {
    name: args.name,
    interpreter: args.interpreter,
    interpreter_args: args.interpreterArgs,
    cwd: args.cwd,
    instances: args.instances,
    autorestart: args.autorestart === false ? false : undefined,
    max_restarts: args.maxRestarts,
    min_uptime: args.minUptime,
    restart_delay: args.restartDelay,
    exp_backoff_restart_delay: args.expBackoffRestartDelay,
    kill_timeout: args.killTimeout,
    kill_signal: args.killSignal,
    namespace: args.namespace,
    out_file: args.output,
    error_file: args.error,
    merge_logs: args.mergeLogs,
    max_memory_restart: args.maxMemoryRestart,
    // --watch alone watches the cwd; --watch a,b watches those paths.
    watch: args.watch === undefined ? undefined : args.watch === '' ? true : list(args.watch),
    ignore_watch: args.ignoreWatch === undefined ? undefined : list(args.ignoreWatch),
    watch_delay: args.watchDelay,
    cron_restart: args.cronRestart,
    args: args.args.length > 0 ? args.args : undefined,
  };
  return Object.fromEntries(Object.entries(map).filter(([, v]) => v !== undefined));
}

function list(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** A bare word that is not a file and comes without script options names an app that already exists. */
function namesExistingApp(args: StartArgs): boolean {
  const t = args.target;
  if (t === '-') return false;
  return !existsSync(t) && !t.includes('/') && !/\.[a-z]+$/i.test(t) && !args.interpreter && args.args.length === 0;
}

/** The apps a start (or `sup run`) names: an ecosystem file's, or one script's, with the CLI's flags over them. */
export async function loadTarget(args: StartArgs): Promise<NormalizeResult> {
  const overrides = overridesFrom(args);
  if (args.target === '-') {
    if (args.name) throw new SupError('USAGE', '--name names one app; set "name" in the ecosystem document instead');
    return loadEcosystemText(await readStdin(), { envName: args.env, overrides, only: args.only?.split(',').filter(Boolean) });
  }
  if (!isEcosystemFile(args.target)) return appFromScript(args.target, overrides);
  if (args.name) throw new SupError('USAGE', '--name names one app; set "name" in the ecosystem file instead');
  return loadEcosystem(args.target, { envName: args.env, overrides, only: args.only?.split(',').filter(Boolean) });
}

export async function run(args: StartArgs): Promise<void> {
  if (namesExistingApp(args)) {
    await withDaemon(async (client) => {
      const { processes, restarted } = await client.request('startExisting', { targets: [args.target] });
      const held = processes.filter((p) => p.status === 'stopped' && p.status_reason?.startsWith('not started'));
      const started = processes.filter((p) => !restarted.includes(p.id) && !held.includes(p));
      if (started.length > 0) print(`started ${labels(started)}`);
      for (const p of held) print(`${p.name}#${p.id}: ${p.status_reason}`);
      if (restarted.length > 0) print(`restarted ${labels(processes.filter((p) => restarted.includes(p.id)))} (already running)`);
      await printProcessTable(client);
    });
    return;
  }
  const loaded = await loadTarget(args);
  loaded.warnings.forEach(warn);
  await withDaemon(async (client) => {
    const { processes } = await client.request('start', { apps: loaded.apps, env: shellEnv(), force: args.force });
    for (const app of loaded.apps) {
      const count = processes.filter((p) => p.name === app.name).length;
      const what = `${count} instance${count === 1 ? '' : 's'}, ${app.exec_mode} mode`;
      const held = processes.find((p) => p.name === app.name && p.status === 'stopped' && p.status_reason?.startsWith('not started'));
      if (held) print(`${app.name}: ${held.status_reason}`);
      else print(app.autostart ? `started ${app.name} (${what})` : `added ${app.name} stopped (${what}; autostart is false)`);
    }
    await printProcessTable(client);
    // A failed one-shot task, or apps its failure held back: the start did not do its job (as systemd's "dependency failed").
    const failed = processes.filter((p) => p.status === 'failed' || (p.status === 'stopped' && p.status_reason?.startsWith('not started')));
    if (failed.length > 0)
      throw new SupError('REFUSED', `not everything started: ${[...new Set(failed.map((p) => p.name))].join(', ')} (see above)`);
  });
}

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY)
    throw new SupError('USAGE', '`sup start -` reads an ecosystem document from stdin, e.g. `cat app.json | sup start -`');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') throw new SupError('USAGE', '`sup start -` read nothing from stdin; pipe an ecosystem document into it');
  return text;
}
