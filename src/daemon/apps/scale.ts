import type { AppConfig } from '../../config/app-config.js';
import { SupError } from '../../errors.js';
import type { ProcessInfo } from '../../protocol/messages.js';
import type { Instance } from '../instance/instance.js';
import type { App } from './app.js';
import { targetCount } from './app-rules.js';
import type { AppsContext } from './context.js';
import { dropInstances } from './stop.js';

/** `sup scale web 4`, `+2`, `-1`: new instances take the lowest free numbers; scaling down stops the highest. */
export async function scaleApp(
  ctx: AppsContext,
  name: string,
  count: string,
): Promise<{ processes: ProcessInfo[]; from: number; to: number }> {
  const app = ctx.registry.get(name);
  if (!app) throw new SupError('NOT_FOUND', `no app "${name}" is managed by sup; see \`sup list\``);
  const from = app.instances.length;
  const to = targetCount(from, count);
  const added = await resizeApp(ctx, app, to);
  await Promise.all(added.map((i) => i.start()));
  return { processes: app.instances.map((i) => i.info()), from, to };
}

/** New instances take the lowest free numbers and are returned unstarted; scaling down stops the highest. */
export async function resizeApp(ctx: AppsContext, app: App, to: number): Promise<Instance[]> {
  const from = app.instances.length;
  if (to !== from) app.resize(to);
  if (to > from) return app.addInstances(Array.from({ length: to - from }, () => ctx.registry.newId()));
  if (to < from) {
    await dropInstances(ctx, app, [...app.instances].sort((a, b) => b.index - a.index).slice(0, from - to));
  }
  return [];
}

/** The file's current config for a running app: triggers restart with it, the instance count follows it. */
export async function applyConfig(ctx: AppsContext, app: App, config: AppConfig, baseEnv: Record<string, string>): Promise<Instance[]> {
  await app.triggers.stop();
  app.update(config, baseEnv);
  return resizeApp(ctx, app, config.instances);
}
