import { SupError } from '../../errors.js';
import type { ProcessInfo, Selector } from '../../protocol/messages.js';
import type { AppsContext } from './context.js';
import { Registry } from './registry.js';

/**
 * `sup restart <app> --name new` (and start, reload), as PM2 takes it: the app keeps its ids, instances and counters
 * under the new name; its default log files follow the name from the next line on.
 */
export function renameApp(ctx: AppsContext, target: Selector, name: string): ProcessInfo[] {
  const apps = Registry.appsOf(ctx.registry.select([target]));
  if (apps.length !== 1) {
    throw new SupError('USAGE', `--name renames one app; "${target}" names ${apps.length} (${apps.map((a) => a.config.name).join(', ')})`);
  }
  const app = apps[0]!;
  if (app.config.name !== name) {
    if (name === 'all' || ctx.registry.has(name))
      throw new SupError('ALREADY_EXISTS', `cannot rename ${app.config.name} to "${name}": that name is taken`);
    ctx.registry.rename(app, name);
    ctx.services.events.changed();
  }
  return app.instances.map((i) => i.info());
}
