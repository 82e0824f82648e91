import type { AppConfig } from '../../config/app-config.js';
import { checkRunnable } from '../../config/runnable.js';
import type { ProcessInfo, Selector } from '../../protocol/messages.js';
import type { Instance } from '../instance/instance.js';
import type { App } from './app.js';
import { checkUpdatable } from './app-rules.js';
import type { AppsContext } from './context.js';
import { type Located, Registry } from './registry.js';
import { applyConfig } from './scale.js';
import { startApps } from './start.js';
import { syncTriggers } from './triggers.js';

/** With env (`--update-env`), the apps' next processes get that shell environment instead of the one they started with. */
export async function restartTargets(ctx: AppsContext, targets: Selector[], env?: Record<string, string>): Promise<ProcessInfo[]> {
  const picked = ctx.registry.select(targets);
  updateShellEnv(picked, env);
  await Promise.all(picked.map((p) => p.instance.restart()));
  await syncTriggers(Registry.appsOf(picked));
  return picked.map((p) => p.instance.info());
}

/**
 * Rolling reload: cluster apps replace one instance (or `parallel`) at a time, each replacement
 * online before its predecessor is drained and stopped; fork-mode apps are restarted.
 * Every app is checked before the first one changes, so a refused reload changes nothing.
 */
export async function reloadTargets(
  ctx: AppsContext,
  targets: Selector[],
  parallel: number,
  env?: Record<string, string>,
): Promise<{ processes: ProcessInfo[]; restarted: string[] }> {
  const picked = ctx.registry.select(targets);
  const apps = Registry.appsOf(picked);
  ctx.reloads.checkFree(apps);
  updateShellEnv(picked, env);
  const restarted = await ctx.reloads.exclusive(apps, () => replace(ctx, picked, parallel));
  await syncTriggers(apps);
  return { processes: picked.map((p) => p.instance.info()), restarted };
}

/**
 * `sup restart|reload <ecosystem file>` (PM2's startOrRestart), or apps given new flags: apps not yet managed are
 * started, the others take the config given (the file's current one) and are restarted or reloaded; with updateEnv
 * they also take this environment, else they keep the one they were started with.
 * Everything is checked before anything changes, and the running apps are claimed for the whole
 * operation, so that a reload asked for meanwhile is refused rather than interleaved.
 */
export async function startOrRestart(
  ctx: AppsContext,
  configs: AppConfig[],
  baseEnv: Record<string, string>,
  options: { action: 'restart' | 'reload'; updateEnv: boolean; parallel: number },
): Promise<{ processes: ProcessInfo[]; started: string[]; restarted: string[] }> {
  const checked = configs.map((config) => checkRunnable(config, options.action));
  const known = checked.filter((c) => ctx.registry.has(c.name));
  const fresh = checked.filter((c) => !ctx.registry.has(c.name));
  const apps = known.map((c) => ctx.registry.get(c.name)!);
  known.forEach((c, i) => checkUpdatable(apps[i]!, c));
  return ctx.reloads.exclusive(apps, async () => {
    try {
      const started = fresh.length > 0 ? (await startApps(ctx, fresh, baseEnv, 'refuse')).processes : [];
      // Instances a bigger count adds are started, not restarted: they never ran.
      const added: Instance[] = [];
      for (const [i, config] of known.entries()) {
        const app = apps[i]!;
        added.push(...(await applyConfig(ctx, app, config, options.updateEnv ? baseEnv : app.baseEnv)));
      }
      const picked = apps.flatMap((app) =>
        app.instances.filter((i) => !added.includes(i)).map((instance) => Registry.locate(app, instance)),
      );
      let restarted: string[] = [];
      if (options.action === 'reload') restarted = await replace(ctx, picked, options.parallel);
      else await Promise.all(picked.map((p) => p.instance.restart()));
      await Promise.all(added.map((i) => i.start()));
      const processes = [...started, ...picked.map((p) => p.instance.info()), ...added.map((i) => i.info())];
      return { processes, started: fresh.map((c) => c.name), restarted };
    } finally {
      await syncTriggers(apps);
    }
  });
}

/** A file change or the cron schedule: restart the whole app, or reload it in cluster mode. */
export function restartOnTrigger(ctx: AppsContext, app: App, reason: string): void {
  const log = ctx.services.log;
  if (!ctx.registry.holds(app) || !ctx.accepting()) return;
  if (ctx.reloads.isBusy(app)) return log(`${app.config.name}: ${reason}, but a reload is already running; skipped`);
  log(`${app.config.name}: ${reason}; restarting`);
  const done =
    app.config.exec_mode === 'cluster'
      ? // Crashed-out instances come back with the change; ones a user stopped stay stopped.
        ctx.reloads.exclusive([app], () => ctx.reloads.roll(app, [...app.instances], 1, reason, () => 'start-unless-stopped'))
      : Promise.all(app.instances.map((i) => i.restart(reason, 'unless-stopped')));
  done.catch((err: Error) => log(`${app.config.name}: restart after "${reason}" failed: ${err.message}`));
}

/** The reload itself, for apps already claimed: cluster apps roll, fork apps restart (their names are returned). */
async function replace(ctx: AppsContext, picked: Located[], parallel: number): Promise<string[]> {
  const restarted: string[] = [];
  for (const app of Registry.appsOf(picked)) {
    const instances = picked.filter((p) => p.app === app).map((p) => p.instance);
    if (app.config.exec_mode === 'fork') {
      restarted.push(app.config.name);
      await Promise.all(instances.map((i) => i.restart()));
    } else {
      // Instances down now are started; ones stopped or deleted while the reload runs are left alone.
      await ctx.reloads.roll(app, instances, parallel, 'reloaded on request', (i) => (i.isRunning() ? 'skip' : 'start'));
    }
  }
  return restarted;
}

function updateShellEnv(picked: readonly Located[], env: Record<string, string> | undefined): void {
  if (!env) return;
  for (const app of Registry.appsOf(picked)) app.update(app.config, env);
}
