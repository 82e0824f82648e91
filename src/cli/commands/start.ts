import { existsSync } from 'node:fs';
import type { AppConfig } from '../../config/app-config.js';
import type { SupClient } from '../../client/client.js';
import { appFromScript, isEcosystemFile, loadEcosystem, loadEcosystemText } from '../../config/load.js';
import { findOnPath } from '../../config/runnable.js';
import type { NormalizeResult } from '../../config/normalize.js';
import { startWatchMs } from '../../env.js';
import { isSupError, SupError } from '../../errors.js';
import type { ProcessInfo, StartFailure } from '../../protocol/messages.js';
import { readStdinDocument } from '../read-stdin.js';
import { renameOne } from '../rename.js';
import { type AppFlagArgs, overridesFrom } from '../start-args.js';
import { labels, print, printProcessTable, shellEnv, warn, withDaemon } from '../session.js';

export interface StartArgs extends AppFlagArgs {
  silent?: boolean | undefined;
  targets: string[];
  env?: string | undefined;
  only?: string | undefined;
  /** `-f`: another copy of an app that runs already (PM2's --force). */
  force: boolean;
  /** `--replace`: an app of the same name is replaced by this configuration. */
  replace: boolean;
  args: string[];
}

/** A bare word that is not a file and comes without script options names an app that already exists. */
function namesExistingApp(target: string, args: StartArgs): boolean {
  if (target === '-') return false;
  // A command line ("node -e ...", "a; b") is a script to run, never an app name.
  return (
    !existsSync(target) &&
    !/\s/.test(target) &&
    !target.includes('/') &&
    !/\.[a-z]+$/i.test(target) &&
    !args.interpreter &&
    args.args.length === 0
  );
}

/** The apps one target names: an ecosystem file's, stdin's document, or one script's, with the CLI's flags over them. */
async function loadOne(target: string, args: StartArgs, several: boolean): Promise<NormalizeResult> {
  const overrides = overridesFrom(args, args.args);
  const only = args.only?.split(',').filter(Boolean);
  if (target === '-' || isEcosystemFile(target)) {
    if (args.name) throw new SupError('USAGE', `--name names one app; set "name" in ${target === '-' ? 'the document' : target} instead`);
    return target === '-'
      ? loadEcosystemText(await readStdinDocument('start'), { envName: args.env, overrides, only })
      : loadEcosystem(target, { envName: args.env, overrides, only });
  }
  if (several && args.name) throw new SupError('USAGE', '--name names one app; start several scripts without it');
  return appFromScript(target, overrides);
}

/** The apps a start (or `sup run`) names, all loaded and checked before anything starts. */
export async function loadTargets(args: StartArgs, targets = args.targets): Promise<NormalizeResult> {
  const results = [];
  for (const target of targets) results.push(await loadOne(target, args, targets.length > 1));
  const apps = results.flatMap((r) => r.apps);
  return { apps, warnings: results.flatMap((r) => r.warnings) };
}

export async function run(args: StartArgs): Promise<string[]> {
  if (args.force && args.replace) throw new SupError('USAGE', '-f adds another copy and --replace replaces the app; pick one');
  let existing = args.targets.filter((t) => namesExistingApp(t, args));
  // PM2: a lone bare word that names no app is a program on PATH (`pm2 start redis-server`).
  const [bare] = existing.length === 1 && args.targets.length === 1 && findOnPath(existing[0]!, process.env.PATH) ? existing : [];
  if (bare !== undefined && !(await withDaemon((client) => selectsApp(client, bare)))) existing = [];
  const loaded = await loadTargets(
    args,
    args.targets.filter((t) => !existing.includes(t)),
  );
  loaded.warnings.forEach(warn);
  if (args.name && existing.length > 0 && args.targets.length > 1)
    throw new SupError('USAGE', '--name names one app; start several without it');
  await withDaemon(async (client) => {
    if (existing.length > 0) {
      const targets = args.name ? await renameOne(client, existing[0]!, args.name) : existing;
      const { processes, restarted } = await client.request('startExisting', { targets });
      const held = processes.filter(isHeld);
      const started = processes.filter((p) => !restarted.includes(p.id) && !held.includes(p));
      if (started.length > 0) print(`started ${labels(started)}`);
      for (const p of held) print(`${p.name}#${p.id}: ${p.status_reason}`);
      if (restarted.length > 0) print(`restarted ${labels(processes.filter((p) => restarted.includes(p.id)))} (already running)`);
    }
    if (loaded.apps.length > 0) {
      const existing = args.force ? 'copy' : args.replace ? 'replace' : 'restart';
      const watchMs = startWatchMs(process.env);
      const request = { apps: loaded.apps, env: shellEnv(), existing, ...(watchMs === undefined ? {} : { watchMs }) } as const;
      const { processes, restarted, failures } = await client.request('start', request);
      for (const app of loaded.apps) print(describeStart(app, processes, restarted.includes(app.name)));
      failures.forEach((f) => process.stderr.write(`sup: ${startFailureText(f)}\n`));
      if (!args.silent) await printProcessTable(client);
      throwIfDead(loaded.apps, processes, failures);
      return;
    }
    if (!args.silent) await printProcessTable(client);
  });
  // What `--attach` follows: a renamed app by its new name.
  return [...(args.name ? existing.map(() => args.name!) : existing), ...loaded.apps.map((a) => a.name)];
}

/** Whether a target names an app sup manages. */
async function selectsApp(client: SupClient, target: string): Promise<boolean> {
  try {
    return (await client.request('describe', { targets: [target] })).processes.length > 0;
  } catch (err) {
    if (isSupError(err) && err.code === 'NOT_FOUND') return false;
    throw err;
  }
}

/** An app depends_on kept from starting (its status reason says on what). */
function isHeld(p: ProcessInfo): boolean {
  return p.status === 'stopped' && (p.status_reason?.startsWith('not started') ?? false);
}

function describeStart(app: AppConfig, processes: readonly ProcessInfo[], restarted: boolean): string {
  const held = processes.find((p) => p.name === app.name && isHeld(p));
  if (held) return `${app.name}: ${held.status_reason}`;
  const count = processes.filter((p) => p.name === app.name).length;
  const what = `${count} instance${count === 1 ? '' : 's'}, ${app.exec_mode} mode`;
  if (restarted) return `restarted ${app.name} (${what}; it was running already: -f starts another copy, --replace replaces it)`;
  return app.autostart ? `started ${app.name} (${what})` : `added ${app.name} stopped (${what}; autostart is false)`;
}

/** Non-zero only when an app has no instance that came through its start. */
function throwIfDead(apps: readonly AppConfig[], processes: readonly ProcessInfo[], failures: readonly StartFailure[]): void {
  // A failed one-shot task, or apps its failure held back: the start did not do its job (as systemd's "dependency failed").
  const failed = processes.filter((p) => p.status === 'failed' || isHeld(p));
  if (failed.length > 0) {
    throw new SupError('REFUSED', `not everything started: ${[...new Set(failed.map((p) => p.name))].join(', ')} (see above)`);
  }
  const dead = apps.filter((app) => {
    const ids = processes.filter((p) => p.name === app.name).map((p) => p.id);
    return app.autostart && ids.length > 0 && ids.every((id) => failures.some((f) => f.id === id));
  });
  if (dead.length === 0) return;
  const names = dead.map((a) => a.name).join(', ');
  throw new SupError(
    'START_FAILED',
    `${names} exited during start; \`sup logs ${dead[0]!.name} --err\` and \`sup describe ${dead[0]!.name}\` show more`,
  );
}

function startFailureText(f: StartFailure): string {
  const how = f.exit.signal ? `killed by ${f.exit.signal}` : `exit code ${f.exit.code}`;
  const lines =
    f.exit.stderr.length > 0
      ? `; last lines of stderr:\n${f.exit.stderr.map((l) => `  | ${l}`).join('\n')}`
      : '; it wrote nothing to stderr';
  return `${f.name}#${f.id} exited during start (${how}; ${f.exit.reason})${lines}`;
}
