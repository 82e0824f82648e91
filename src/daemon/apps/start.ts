import type { AppConfig } from '../../config/app-config.js';
import { checkRunnable } from '../../config/runnable.js';
import { SupError } from '../../errors.js';
import type { ProcessInfo, Selector } from '../../protocol/messages.js';
import { App } from './app.js';
import type { AppsContext } from './context.js';
import { Registry } from './registry.js';
import { checkUpdatable } from './app-rules.js';
import { applyConfig, resizeApp } from './scale.js';
import { dependencyOrder } from './dependency-order.js';
import { startInOrder } from './start-order.js';
import { removeApp } from './stop.js';
import { syncTriggers } from './triggers.js';

/**
 * What a start does with an app of the same name that sup already manages: refuse, restart it (PM2's start of a
 * running app), replace it with the new configuration (`--replace`), or add the new instances beside it (`-f`).
 */
export type OnExisting = 'refuse' | 'restart' | 'replace' | 'copy';

/** Adds and starts apps, all or nothing: every app is checked before the first one starts. */
export async function startApps(
  ctx: AppsContext,
  configs: AppConfig[],
  baseEnv: Record<string, string>,
  onExisting: OnExisting,
): Promise<{ processes: ProcessInfo[]; restarted: string[] }> {
  const checked = configs.map((config) => checkRunnable(config, 'start'));
  const names = new Set<string>();
  for (const config of checked) {
    if (names.has(config.name)) throw new SupError('INVALID_CONFIG', `two apps in this start are named "${config.name}"`);
    names.add(config.name);
    const existing = ctx.registry.get(config.name);
    if (existing && onExisting === 'refuse') {
      const first = existing.instances[0]!;
      throw new SupError('ALREADY_EXISTS', `app "${config.name}" already exists (id ${first.id}, ${first.status})`);
    }
  }
  const order = dependencyOrder(checked, new Set(ctx.registry.list().map((a) => a.config.name)));
  if (!order.ok) throw new SupError('INVALID_CONFIG', order.error);
  const kept = onExisting === 'restart' || onExisting === 'copy' ? checked.filter((c) => ctx.registry.has(c.name)) : [];
  if (onExisting === 'restart') kept.forEach((c) => checkUpdatable(ctx.registry.get(c.name)!, c));
  const added: App[] = [];
  for (const config of checked.filter((c) => !kept.includes(c))) {
    const previous = ctx.registry.get(config.name);
    const reuse = previous ? await removeApp(ctx, previous) : [];
    const slots = Array.from({ length: config.instances }, (_, index) => ({ id: reuse[index] ?? ctx.registry.newId(), index }));
    const app = new App(config, baseEnv, slots, ctx.services);
    ctx.registry.add(app);
    added.push(app);
  }
  ctx.services.events.changed();
  const others = kept.map((c) => ctx.registry.get(c.name)!);
  // `-f`: another copy of a running app is more instances of it (one name, as PM2 lists its copies).
  const copies =
    onExisting === 'copy'
      ? await Promise.all(kept.map((c, i) => resizeApp(ctx, others[i]!, others[i]!.instances.length + c.instances)))
      : [];
  // A running app started again takes the configuration given (as `sup restart <file>` does), keeping its environment.
  const grown = onExisting === 'restart' ? await Promise.all(kept.map((c, i) => applyConfig(ctx, others[i]!, c, others[i]!.baseEnv))) : [];
  const fresh = new Set([...copies.flat(), ...grown.flat()]);
  // autostart: false registers the app stopped; `sup start <name>` starts it.
  const starting = added.filter((a) => a.config.autostart);
  await Promise.all([
    startInOrder(ctx, starting, (app) => Promise.all(app.instances.map((i) => i.start())), 'check'),
    ...[...fresh].map((i) => i.start()),
    ...(onExisting === 'restart'
      ? others.flatMap((a) => a.instances.filter((i) => !fresh.has(i)).map((i) => (i.isRunning() ? i.restart() : i.start())))
      : []),
  ]);
  await syncTriggers([...added, ...others]);
  const restarted = onExisting === 'restart' ? others.map((a) => a.config.name) : [];
  return { processes: [...added, ...others].flatMap((a) => a.instances.map((i) => i.info())), restarted };
}

/** `sup start <name|id>`, as PM2: stopped instances start, running ones restart (their ids are returned). */
export async function startExisting(ctx: AppsContext, targets: Selector[]): Promise<{ processes: ProcessInfo[]; restarted: number[] }> {
  const picked = ctx.registry.select(targets);
  const restarted = picked.filter((p) => p.instance.isRunning()).map((p) => p.id);
  // Apps start after what they depend on, as with a file; an app held back says why.
  const act = (app: App) =>
    Promise.all(picked.filter((p) => p.app === app).map((p) => (restarted.includes(p.id) ? p.instance.restart() : p.instance.start())));
  await startInOrder(ctx, Registry.appsOf(picked), act, 'check');
  await syncTriggers(Registry.appsOf(picked));
  return { processes: picked.map((p) => p.instance.info()), restarted };
}
