import { APP_NAME_EXPECTED, isAppName } from '../../config/app-name.js';
import { SupError } from '../../errors.js';
import type { ProcessInfo, Selector } from '../../protocol/messages.js';
import type { AppsContext } from './context.js';
import { Registry } from './registry.js';

/**
 * `sup restart <app> --name new` (and start, reload), as PM2 takes it: the app keeps its ids, instances and counters
 * under the new name; its default log files follow the name from the next line on. An app other apps depend on keeps
 * its name: their depends_on names it.
 */
export function renameApp(ctx: AppsContext, target: Selector, name: string): ProcessInfo[] {
  const apps = Registry.appsOf(ctx.registry.select([target]));
  if (apps.length !== 1) {
    throw new SupError('USAGE', `--name renames one app; "${target}" names ${apps.length} (${apps.map((a) => a.config.name).join(', ')})`);
  }
  const app = apps[0]!;
  const old = app.config.name;
  if (old === name) return app.instances.map((i) => i.info());
  if (!isAppName(name)) throw new SupError('USAGE', `cannot rename ${old} to "${name}": expected ${APP_NAME_EXPECTED}`);
  if (ctx.registry.has(name)) throw new SupError('ALREADY_EXISTS', `cannot rename ${old} to "${name}": that name is taken`);
  const dependents = ctx.registry.list().filter((a) => Object.hasOwn(a.config.depends_on, old));
  if (dependents.length > 0) {
    const names = dependents.map((a) => a.config.name).join(', ');
    throw new SupError('REFUSED', `cannot rename ${old}: ${names} depend${dependents.length === 1 ? 's' : ''} on it by name (depends_on)`);
  }
  ctx.registry.rename(app, name);
  ctx.services.events.changed();
  for (const instance of app.instances) app.changed(instance);
  return app.instances.map((i) => i.info());
}
