import type { AppConfig } from '../../config/app-config.js';
import { checkRunnable } from '../../config/runnable.js';
import type { KeptChild } from '../../protocol/keeper.js';
import type { ProcessInfo } from '../../protocol/messages.js';
import type { SavedApp, SavedInstance, Snapshot } from '../../state/snapshot.js';
import { App, type Slot } from '../apps/app.js';
import type { AppsContext } from '../apps/context.js';
import { startInOrder } from '../apps/start-order.js';
import { syncTriggers } from '../apps/triggers.js';

/** The part of a snapshot the apps provide; the daemon adds when, which boot, and its phase. */
export type SavedApps = Pick<Snapshot, 'next_id' | 'envs' | 'apps'>;

/** Everything needed to bring the apps back: configs, environments, ids, counters, what runs. */
export function saveApps(ctx: AppsContext): SavedApps {
  const envs: Record<string, string>[] = [];
  const envIndex = new Map<object, number>();
  const apps: SavedApp[] = ctx.registry.list().map((app) => {
    let env = envIndex.get(app.baseEnv);
    if (env === undefined) envIndex.set(app.baseEnv, (env = envs.push({ ...app.baseEnv }) - 1));
    return { config: app.config, env, instances: app.instances.map((i) => i.saved()) };
  });
  return { next_id: ctx.registry.nextId, envs, apps };
}

/**
 * Brings back the apps of a snapshot (a dead daemon's state, or a dump): their configs, environments, ids (where
 * free), restart counters; instances that were stopped or errored stay so. Apps with a name already managed are
 * skipped. Each app starts as soon as what an earlier daemon left of it is gone (`clear`), not after every app's.
 */
export async function restoreApps(
  ctx: AppsContext,
  snapshot: SavedApps,
  clear: (app: string) => Promise<unknown> = async () => undefined,
  held: Map<string, KeptChild> = new Map(),
): Promise<{ processes: ProcessInfo[]; skipped: string[]; adopted: number }> {
  const used = new Set(ctx.registry.all().map((p) => p.id));
  ctx.registry.reserveIds(
    snapshot.next_id,
    snapshot.apps.flatMap((a) => a.instances.map((i) => i.id)),
  );
  const skipped: string[] = [];
  const restored: { app: App; wanted: SavedInstance[] }[] = [];
  let adopted = 0;
  for (const saved of snapshot.apps) {
    if (ctx.registry.has(saved.config.name)) {
      skipped.push(saved.config.name);
      continue;
    }
    const slots: Slot[] = saved.instances.map((i) => ({ id: used.has(i.id) ? ctx.registry.newId() : i.id, index: i.index }));
    slots.forEach((s) => used.add(s.id));
    const { config, instances } = runnableOrErrored({ ...saved.config, instances: slots.length }, saved.instances);
    const app = new App(config, snapshot.envs[saved.env] ?? {}, slots, ctx.services);
    app.instances.forEach((instance, k) => {
      instance.restoreFrom(instances[k]!);
      // A process the keeper still holds is taken over as it runs: same pid, no restart.
      const child = held.get(heldKey(config.name, saved.instances[k]!.id));
      if (child && instances[k]!.wanted === 'running') {
        held.delete(heldKey(config.name, saved.instances[k]!.id));
        instance.adopt(child);
        adopted++;
      }
    });
    ctx.registry.add(app);
    restored.push({ app, wanted: instances });
  }
  ctx.services.events.changed();
  const toStart = (app: App) =>
    app.instances.filter((i, k) => restored.find((r) => r.app === app)!.wanted[k]!.wanted === 'running' && !i.isRunning());
  // In dependency order among the apps that start again (what was met when they ran is not waited for again).
  await startInOrder(
    ctx,
    restored.map((r) => r.app).filter((app) => toStart(app).length > 0),
    async (app) => {
      await clear(app.config.name);
      // A `sup kill` during the wait wins: nothing starts behind a shutdown (it would outlive the daemon).
      if (!ctx.accepting()) return;
      await Promise.all(toStart(app).map((i) => i.start()));
    },
    'ignore',
  );
  await syncTriggers(restored.map((r) => r.app));
  return { processes: restored.flatMap((r) => r.app.instances.map((i) => i.info())), skipped, adopted };
}

/** How the keeper's processes are matched to saved instances: the app's name and the instance's id. */
export function heldKey(app: string, id: number): string {
  return `${app}#${id}`;
}

/**
 * The keeper's children by app#id, to match against the saved apps. A child whose app name the state no longer has
 * (renamed since it was spawned, and the daemon died before restarting it) goes by its id alone.
 */
export function heldByKey(children: readonly KeptChild[], saved: SavedApps | undefined): Map<string, KeptChild> {
  const names = new Set(saved?.apps.map((a) => a.config.name));
  const nameOfId = new Map(saved?.apps.flatMap((a) => a.instances.map((i) => [i.id, a.config.name] as const)));
  return new Map(children.map((c) => [heldKey(names.has(c.tag.app) ? c.tag.app : (nameOfId.get(c.tag.id) ?? c.tag.app), c.tag.id), c]));
}

/** An app whose script is gone since it was saved comes back errored, saying why, instead of crash-looping. */
function runnableOrErrored(config: AppConfig, instances: SavedInstance[]): { config: AppConfig; instances: SavedInstance[] } {
  try {
    return { config: checkRunnable(config, 'restore'), instances };
  } catch (err) {
    const reason = `not restored: ${(err as Error).message}`;
    return { config, instances: instances.map((i) => ({ ...i, wanted: 'errored', status_reason: reason })) };
  }
}
