import type { AppConfig } from '../../config/app-config.js';
import { isEcosystemFile } from '../../config/ecosystem-file.js';
import type { SupClient } from '../../client/client.js';
import { SupError } from '../../errors.js';
import { readStdinDocument } from '../read-stdin.js';
import { renameOne } from '../rename.js';
import { expandTargets } from '../targets.js';
import { labels, print, printProcessTable, shellEnv, warn, withDaemon } from '../session.js';

export interface RestartArgs {
  targets: string[];
  /** Start flags (`--node-args`, `--watch`, `--cron-restart`...), in ecosystem-file terms: the apps take them. */
  overrides?: Record<string, unknown>;
  /** Apps take the CLI's environment (and, for ecosystem files, the file's current config). */
  updateEnv: boolean;
  env?: string | undefined;
  only?: string | undefined;
  parallel: number;
}

/**
 * `sup restart` and `sup reload`. Names and ids restart with the config and environment they were
 * started with; an ecosystem file starts its apps that are not running yet and restarts the others
 * (PM2's startOrRestart), with --update-env taking the file's current config.
 */
export async function run(action: 'restart' | 'reload', args: RestartArgs): Promise<void> {
  // main hands a lone "-" (a document on stdin, as `pm2 restart -`) over as /dev/stdin.
  const isDocument = (t: string) => isEcosystemFile(t) || t === '/dev/stdin';
  const files = args.targets.filter(isDocument);
  const given = args.targets.filter((t) => !isDocument(t));
  const { name: newName, ...overrides } = args.overrides ?? {};
  if (typeof newName === 'string' && (files.length > 0 || given.length !== 1)) {
    throw new SupError('USAGE', `--name renames one app: name it alone (\`sup ${action} <app> --name ${newName}\`)`);
  }
  const reconfigured = Object.keys(overrides).length > 0;
  const apps: AppConfig[] = [];
  for (const file of files) {
    const { loadEcosystem, loadEcosystemText } = await import('../../config/load.js');
    const options = { envName: args.env, only: args.only?.split(',').filter(Boolean), overrides };
    const loaded =
      file === '/dev/stdin' ? await loadEcosystemText(await readStdinDocument(action), options) : await loadEcosystem(file, options);
    loaded.warnings.forEach(warn);
    apps.push(...loaded.apps);
  }
  if (args.env && given.length > 0)
    warn(`--env ${args.env} picks an env_${args.env} block of an ecosystem file; name the file to apply it`);
  await withDaemon(async (client) => {
    if (action === 'reload') await showProgress(client);
    const env = shellEnv();
    const names = typeof newName === 'string' ? await renameOne(client, given[0]!, newName) : given;
    if (reconfigured && names.length > 0) {
      const { reconfigure } = await import('../../config/reconfigure.js');
      const { processes } = await client.request('describe', { targets: await expandTargets(names, action) });
      const seen = new Set<string>();
      for (const p of processes) if (!seen.has(p.name) && seen.add(p.name)) apps.push(reconfigure(p.config, overrides));
    }
    if (apps.length > 0) {
      const request = { apps, env, action, updateEnv: args.updateEnv, parallel: args.parallel };
      const done = await client.request('startOrRestart', request);
      if (done.started.length > 0) print(`started ${done.started.join(', ')} (not running before)`);
      report(
        action,
        done.processes.filter((p) => !done.started.includes(p.name)),
        done.restarted,
      );
    }
    if (names.length > 0 && !reconfigured) {
      const update = args.updateEnv ? { env } : {};
      const done =
        action === 'reload'
          ? await client.request('reload', { targets: names, parallel: args.parallel, ...update })
          : { ...(await client.request('restart', { targets: names, ...update })), restarted: [] };
      report(action, done.processes, done.restarted);
    }
    await printProcessTable(client);
  });
}

async function showProgress(client: SupClient): Promise<void> {
  await client.subscribe(['process'], (event) => {
    if (event.type === 'progress') print(event.text);
  });
}

function report(action: 'restart' | 'reload', processes: readonly { name: string; id: number }[], fellBack: readonly string[]): void {
  for (const name of fellBack) print(`${name} runs in fork mode: reload fell back to restart`);
  const restarted = processes.filter((p) => action === 'restart' || fellBack.includes(p.name));
  const reloaded = processes.filter((p) => !restarted.includes(p));
  if (reloaded.length > 0) print(`reloaded ${labels(reloaded)}`);
  if (restarted.length > 0) print(`restarted ${labels(restarted)}`);
}
