import { SupError } from '../../errors.js';
import type { SupEvent } from '../../protocol/messages.js';
import type { App } from './app.js';
import type { Instance } from '../instance/instance.js';

type IfNotRunning = 'start' | 'skip' | 'start-unless-stopped';

/**
 * Rolling replacement of cluster instances, at most one reload per app at a time (a second is
 * refused: two overlapping reloads are how PM2 orphans old workers).
 */
export class RollingReloads {
  private readonly busy = new Set<App>();

  constructor(private readonly emit: (event: SupEvent) => void) {}

  isBusy(app: App): boolean {
    return this.busy.has(app);
  }

  /** Refuses, before anything changes, when one of the apps is being reloaded. */
  checkFree(apps: readonly App[]): void {
    const taken = apps.find((a) => this.busy.has(a));
    if (taken) throw new SupError('BUSY', `a reload of "${taken.config.name}" is already running; wait for it to finish`);
  }

  /** Claims the apps (all or none), runs `work`, and releases them. */
  async exclusive<T>(apps: App[], work: () => Promise<T>): Promise<T> {
    this.checkFree(apps);
    apps.forEach((a) => this.busy.add(a));
    try {
      return await work();
    } finally {
      apps.forEach((a) => this.busy.delete(a));
    }
  }

  /**
   * Replaces `instances` of a cluster app, `parallel` at a time. What to do with an instance that has
   * no process is decided by `ifNotRunning` when its turn comes (see Instance.reload).
   */
  async roll(
    app: App,
    instances: Instance[],
    parallel: number,
    reason: string,
    ifNotRunning: (i: Instance) => IfNotRunning,
  ): Promise<void> {
    // Decided now, so that a stop or delete while the reload runs wins over it.
    const plan = instances.map((instance) => ({ instance, ifNotRunning: ifNotRunning(instance) }));
    for (let at = 0; at < plan.length; at += parallel) {
      await Promise.all(plan.slice(at, at + parallel).map((p) => this.one(app, p.instance, reason, p.ifNotRunning)));
    }
  }

  private async one(app: App, instance: Instance, reason: string, ifNotRunning: IfNotRunning): Promise<void> {
    const name = `${app.config.name}#${instance.id}`;
    const progress = (text: string) => this.emit({ type: 'progress', name: app.config.name, id: instance.id, text: `${name}: ${text}` });
    const before = instance.pid;
    if (before !== null) progress(`starting a replacement for pid ${before}`);
    const outcome = await instance.reload(reason, ifNotRunning);
    if (outcome === 'replaced') progress(`pid ${instance.pid} online, pid ${before} stopped`);
    else if (outcome === 'started') progress('was not running; started');
    else progress('stopped or deleted during the reload; left alone');
  }
}
