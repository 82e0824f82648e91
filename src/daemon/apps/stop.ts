import type { ProcessInfo, Selector } from '../../protocol/messages.js';
import { withTimeout } from '../../timeout.js';
import type { Instance } from '../instance/instance.js';
import type { App } from './app.js';
import type { AppsContext } from './context.js';
import { Registry } from './registry.js';
import { stopWaves } from './dependency-order.js';
import { inReverseDependencyOrder } from './stop-order.js';
import { syncTriggers } from './triggers.js';

// Beyond the longest kill_timeout: a drain, the SIGKILL grace and the exit report.
const SHUTDOWN_MARGIN_MS = 7000;

export async function stopTargets(ctx: AppsContext, targets: Selector[]): Promise<ProcessInfo[]> {
  const picked = ctx.registry.select(targets);
  const apps = Registry.appsOf(picked);
  // An app stopped whole stops watching first, so that no change or cron run during a slow stop restarts it.
  for (const app of apps) {
    if (app.instances.every((i) => picked.some((p) => p.instance === i))) await app.triggers.stop();
  }
  await inReverseDependencyOrder(picked, (p) => p.instance.stop());
  await syncTriggers(apps);
  return picked.map((p) => p.instance.info());
}

export async function deleteTargets(ctx: AppsContext, targets: Selector[]): Promise<ProcessInfo[]> {
  const picked = ctx.registry.select(targets);
  const dropped = await Promise.all(
    Registry.appsOf(picked).map((app) =>
      dropInstances(
        ctx,
        app,
        picked.filter((p) => p.app === app).map((p) => p.instance),
      ),
    ),
  );
  return dropped.flat();
}

/** Stops instances and takes them out of the app (and the app out of sup once it has none). */
export async function dropInstances(ctx: AppsContext, app: App, gone: Instance[]): Promise<ProcessInfo[]> {
  await Promise.all(gone.map((i) => i.remove()));
  const infos = gone.map((i) => i.info());
  app.removeInstances(gone);
  for (const i of gone) ctx.services.events.emit({ type: 'removed', id: i.id, name: app.config.name });
  if (app.instances.length === 0) {
    ctx.registry.delete(app);
    await app.close();
  }
  return infos;
}

/** Stops and forgets a whole app, keeping its ids for the configuration replacing it (`start --replace`). */
export async function removeApp(ctx: AppsContext, app: App): Promise<number[]> {
  await Promise.all(app.instances.map((i) => i.remove()));
  ctx.registry.delete(app);
  await app.close();
  return app.instances.map((i) => i.id);
}

/** Stops every app, dependents first, each level in parallel (the daemon's shutdown); returns how many instances were running. */
export async function stopAll(ctx: AppsContext): Promise<number> {
  const apps = ctx.registry.list();
  await Promise.all(apps.map((a) => a.triggers.stop()));
  const all = ctx.registry.all();
  const running = all.filter((p) => p.instance.isRunning() || p.instance.status === 'waiting-restart').length;
  // Every stop is bounded on its own; this bound is the daemon's promise that SIGTERM always ends it.
  // Apps stop in dependency order, one level after another: each level may take the longest kill_timeout.
  const levels = stopWaves(apps.map((a) => a.config)).length;
  const bound = Math.max(0, ...all.map((p) => p.app.config.kill_timeout)) * Math.max(1, levels) + SHUTDOWN_MARGIN_MS;
  if (
    (await withTimeout(
      inReverseDependencyOrder(all, (p) => p.instance.stop()),
      bound,
    )) === 'timed-out'
  ) {
    const left = all.filter((p) => p.instance.isRunning());
    ctx.services.log(`shutdown: ${left.map((p) => `${p.name}#${p.id}`).join(', ')} still stopping after ${bound} ms; killing them`);
    for (const p of left) p.instance.kill();
  }
  await withTimeout(Promise.all(apps.map((a) => a.close())), SHUTDOWN_MARGIN_MS);
  return running;
}
