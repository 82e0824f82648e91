import type { AppConfig } from '../../config/app-config.js';
import { checkRunnable } from '../../config/load.js';
import { SupError } from '../../errors.js';
import { withTimeout } from '../../timeout.js';
import type { MetricsSample, ProcessDescription, ProcessInfo, Selector, SupEvent } from '../../protocol/messages.js';
import type { SavedApp, SavedInstance, Snapshot } from '../../state/snapshot.js';
import { App, type AppHub, type Slot } from './app.js';
import type { Instance } from '../instance/instance.js';
import type { DaemonState } from '../control/handlers.js';
import { RollingReloads } from './rolling-reload.js';
import { checkUpdatable, targetCount } from './app-rules.js';
import { describeProcess } from './describe-process.js';
import { selectByTargets } from './selection.js';
import { WatcherHost } from '../triggers/watcher-host.js';

export type EventListener = (event: SupEvent) => void;

// Beyond the longest kill_timeout: a drain, the SIGKILL grace and the exit report.
const SHUTDOWN_MARGIN_MS = 7000;

export interface SupervisorOptions {
  logsDir: string;
  log: (message: string) => void;
  monitorIntervalMs: number;
  /** sup's own files (daemon log, socket, logs folder, state): never a reason to restart a watching app. */
  supFiles?: readonly string[];
  /** Variables every app process gets from sup (see instanceEnv). */
  supEnv?: Readonly<Record<string, string>>;
  /** Called after anything a state file records changed (apps, instances, their status or counters). */
  onChange?: () => void;
}

/** The part of a snapshot the registry provides; the daemon adds when, which boot, and its phase. */
export type SavedApps = Pick<Snapshot, 'next_id' | 'envs' | 'apps'>;

interface Located {
  id: number;
  name: string;
  app: App;
  instance: Instance;
}

/** The registry of apps and the operations on them. It never decides how the daemon exits. */
export class Supervisor implements AppHub {
  private readonly apps = new Map<string, App>();
  private readonly listeners = new Set<EventListener>();
  private logListeners = 0;
  private readonly reloads = new RollingReloads((event) => this.emit(event));
  /** Once shutting down, nothing starts anything again. */
  private shutdown: DaemonState = 'running';
  private nextId = 0;
  readonly watcher: WatcherHost;
  readonly logsDir: string;
  readonly log: (message: string) => void;
  readonly monitorIntervalMs: number;
  readonly supFiles: readonly string[];
  readonly supEnv: Readonly<Record<string, string>>;
  private readonly onChange: () => void;

  constructor(options: SupervisorOptions) {
    this.logsDir = options.logsDir;
    this.log = options.log;
    this.monitorIntervalMs = options.monitorIntervalMs;
    this.supFiles = options.supFiles ?? [];
    this.supEnv = options.supEnv ?? {};
    this.onChange = options.onChange ?? (() => undefined);
    this.watcher = new WatcherHost(this.log);
  }

  /** Adds and starts apps, all or nothing: every app is checked before the first one starts. */
  async start(configs: AppConfig[], baseEnv: Record<string, string>, force: boolean): Promise<ProcessInfo[]> {
    const checked = configs.map((config) => checkRunnable(config, 'start'));
    const names = new Set<string>();
    for (const config of checked) {
      if (names.has(config.name)) throw new SupError('INVALID_CONFIG', `two apps in this start are named "${config.name}"`);
      names.add(config.name);
      const existing = this.apps.get(config.name);
      if (existing && !force) {
        const first = existing.instances[0]!;
        throw new SupError(
          'ALREADY_EXISTS',
          `app "${config.name}" already exists (id ${first.id}, ${first.status}); use \`sup restart ${config.name}\`, or add -f to replace it with this configuration`,
        );
      }
    }
    const added: App[] = [];
    for (const config of checked) {
      const previous = this.apps.get(config.name);
      const reuse = previous ? await this.remove(previous) : [];
      const slots = Array.from({ length: config.instances }, (_, index) => ({ id: reuse[index] ?? this.nextId++, index }));
      const app = new App(config, baseEnv, slots, this);
      this.apps.set(config.name, app);
      added.push(app);
    }
    this.onChange();
    // autostart: false registers the app stopped; `sup start <name>` starts it.
    await Promise.all(added.filter((a) => a.config.autostart).flatMap((a) => a.instances.map((i) => i.start())));
    await this.syncTriggers(added);
    return added.flatMap((a) => a.instances.map((i) => i.info()));
  }

  /**
   * `sup restart|reload <ecosystem file>` (PM2's startOrRestart): apps not yet managed are started,
   * the others restarted or reloaded; with updateEnv they first take the file's config and this environment.
   * Everything is checked before anything changes, and the running apps are claimed for the whole
   * operation, so that a reload asked for meanwhile is refused rather than interleaved.
   */
  async startOrRestart(
    configs: AppConfig[],
    baseEnv: Record<string, string>,
    options: { action: 'restart' | 'reload'; updateEnv: boolean; parallel: number },
  ): Promise<{ processes: ProcessInfo[]; started: string[]; restarted: string[] }> {
    const checked = configs.map((config) => checkRunnable(config, options.action));
    const known = checked.filter((c) => this.apps.has(c.name));
    const fresh = checked.filter((c) => !this.apps.has(c.name));
    const apps = known.map((c) => this.apps.get(c.name)!);
    if (options.updateEnv) known.forEach((c, i) => checkUpdatable(apps[i]!, c));
    return this.reloads.exclusive(apps, async () => {
      try {
        const started = fresh.length > 0 ? await this.start(fresh, baseEnv, false) : [];
        // Instances a bigger count adds are started, not restarted: they never ran.
        const added: Instance[] = [];
        if (options.updateEnv) {
          for (const [i, config] of known.entries()) added.push(...(await this.applyConfig(apps[i]!, config, baseEnv)));
        }
        const picked = apps.flatMap((app) =>
          app.instances.filter((i) => !added.includes(i)).map((instance) => ({ id: instance.id, name: app.config.name, app, instance })),
        );
        let restarted: string[] = [];
        if (options.action === 'reload') restarted = await this.replace(picked, options.parallel);
        else await Promise.all(picked.map((p) => p.instance.restart()));
        await Promise.all(added.map((i) => i.start()));
        const processes = [...started, ...picked.map((p) => p.instance.info()), ...added.map((i) => i.info())];
        return { processes, started: fresh.map((c) => c.name), restarted };
      } finally {
        await this.syncTriggers(apps);
      }
    });
  }

  /** `sup start <name|id>`, as PM2: stopped instances start, running ones restart (their ids are returned). */
  async startExisting(targets: Selector[]): Promise<{ processes: ProcessInfo[]; restarted: number[] }> {
    const restarted: number[] = [];
    const processes = await this.each(targets, (i) => {
      if (!i.isRunning()) return i.start();
      restarted.push(i.id);
      return i.restart();
    });
    return { processes, restarted };
  }

  async stop(targets: Selector[]): Promise<ProcessInfo[]> {
    // An app stopped whole stops watching first, so that no change or cron run during a slow stop restarts it.
    const picked = this.select(targets);
    for (const app of new Set(picked.map((p) => p.app))) {
      if (app.instances.every((i) => picked.some((p) => p.instance === i))) await app.triggers.stop();
    }
    const stopped = await this.each(targets, (i) => i.stop());
    // A stop is done when nothing of the app runs, its cluster primary and what workers orphaned included.
    await Promise.all([...new Set(picked.map((p) => p.app))].map((app) => app.releaseIfIdle()));
    return stopped;
  }

  /** With env (`--update-env`), the apps' next processes get that shell environment instead of the one they started with. */
  restart(targets: Selector[], env?: Record<string, string>): Promise<ProcessInfo[]> {
    this.updateShellEnv(targets, env);
    return this.each(targets, (i) => i.restart());
  }

  /** A file change or the cron schedule: restart the whole app, or reload it in cluster mode. */
  triggered(app: App, reason: string): void {
    if (this.apps.get(app.config.name) !== app || this.shutdown !== 'running') return;
    if (this.reloads.isBusy(app)) return this.log(`${app.config.name}: ${reason}, but a reload is already running; skipped`);
    this.log(`${app.config.name}: ${reason}; restarting`);
    const done =
      app.config.exec_mode === 'cluster'
        ? // Crashed-out instances come back with the change; ones a user stopped stay stopped.
          this.reloads.exclusive([app], () => this.reloads.roll(app, [...app.instances], 1, reason, () => 'start-unless-stopped'))
        : Promise.all(app.instances.map((i) => i.restart(reason, 'unless-stopped')));
    done.catch((err: Error) => this.log(`${app.config.name}: restart after "${reason}" failed: ${err.message}`));
  }

  reset(targets: Selector[]): Promise<ProcessInfo[]> {
    return this.each(targets, async (i) => i.reset());
  }

  async delete(targets: Selector[]): Promise<ProcessInfo[]> {
    const picked = this.select(targets);
    const apps = [...new Set(picked.map((p) => p.app))];
    const dropped = await Promise.all(
      apps.map((app) =>
        this.drop(
          app,
          picked.filter((p) => p.app === app).map((p) => p.instance),
        ),
      ),
    );
    return dropped.flat();
  }

  /**
   * Rolling reload: cluster apps replace one instance (or `parallel`) at a time, each replacement
   * online before its predecessor is drained and stopped; fork-mode apps are restarted.
   * Every app is checked before the first one changes, so a refused reload changes nothing.
   */
  async reload(
    targets: Selector[],
    parallel: number,
    env?: Record<string, string>,
  ): Promise<{ processes: ProcessInfo[]; restarted: string[] }> {
    const picked = this.select(targets);
    const apps = [...new Set(picked.map((p) => p.app))];
    this.reloads.checkFree(apps);
    this.updateShellEnv(targets, env);
    const restarted = await this.reloads.exclusive(apps, () => this.replace(picked, parallel));
    await this.syncTriggers(apps);
    return { processes: picked.map((p) => p.instance.info()), restarted };
  }

  /** The reload itself, for apps already claimed: cluster apps roll, fork apps restart (their names are returned). */
  private async replace(picked: Located[], parallel: number): Promise<string[]> {
    const restarted: string[] = [];
    for (const app of new Set(picked.map((p) => p.app))) {
      const instances = picked.filter((p) => p.app === app).map((p) => p.instance);
      if (app.config.exec_mode === 'fork') {
        restarted.push(app.config.name);
        await Promise.all(instances.map((i) => i.restart()));
      } else {
        // Instances down now are started; ones stopped or deleted while the reload runs are left alone.
        await this.reloads.roll(app, instances, parallel, 'reloaded on request', (i) => (i.isRunning() ? 'skip' : 'start'));
      }
    }
    return restarted;
  }

  /** `sup scale web 4`, `+2`, `-1`: new instances take the lowest free numbers; scaling down stops the highest. */
  async scale(name: string, count: string): Promise<{ processes: ProcessInfo[]; from: number; to: number }> {
    const app = this.apps.get(name);
    if (!app) throw new SupError('NOT_FOUND', `no app "${name}" is managed by sup; see \`sup list\``);
    const from = app.instances.length;
    const to = targetCount(from, count);
    const added = await this.resizeApp(app, to);
    await Promise.all(added.map((i) => i.start()));
    return { processes: app.instances.map((i) => i.info()), from, to };
  }

  /** New instances take the lowest free numbers and are returned unstarted; scaling down stops the highest. */
  private async resizeApp(app: App, to: number): Promise<Instance[]> {
    const from = app.instances.length;
    if (to !== from) app.resize(to);
    if (to > from) return app.addInstances(Array.from({ length: to - from }, () => this.nextId++));
    if (to < from) await this.drop(app, [...app.instances].sort((a, b) => b.index - a.index).slice(0, from - to));
    return [];
  }

  /** The file's current config for a running app: triggers restart with it, the instance count follows it. */
  private async applyConfig(app: App, config: AppConfig, baseEnv: Record<string, string>): Promise<Instance[]> {
    await app.triggers.stop();
    app.update(config, baseEnv);
    return this.resizeApp(app, config.instances);
  }

  private updateShellEnv(targets: Selector[], env: Record<string, string> | undefined): void {
    if (!env) return;
    for (const app of new Set(this.select(targets).map((p) => p.app))) app.update(app.config, env);
  }

  signal(targets: Selector[], signal: NodeJS.Signals): ProcessInfo[] {
    const picked = this.select(targets);
    const hit = picked.filter((p) => p.instance.signal(signal));
    if (hit.length === 0) throw new SupError('NOT_FOUND', `no running process matches ${targets.join(', ')}; nothing to signal`);
    return hit.map((p) => p.instance.info());
  }

  send(targets: Selector[], message: unknown): ProcessInfo[] {
    const picked = this.select(targets);
    const hit = picked.filter((p) => p.instance.send(message));
    if (hit.length === 0) {
      throw new SupError(
        'NOT_FOUND',
        `no running Node process matches ${targets.join(', ')}; messages need an IPC channel (interpreter node)`,
      );
    }
    return hit.map((p) => p.instance.info());
  }

  /** `sup flush [apps]`: empties their log files; returns the files emptied. */
  flushLogs(targets: Selector[]): string[] {
    const apps = targets.length === 0 ? [...this.apps.values()] : [...new Set(this.select(targets).map((p) => p.app))];
    return [...new Set(apps.flatMap((app) => app.logs.truncate()))];
  }

  /** `sup reload-logs`: every file is opened again on its next write. */
  reopenLogs(): number {
    const apps = [...this.apps.values()];
    apps.forEach((app) => app.logs.reopen());
    return new Set(apps.flatMap((app) => app.logs.allPaths()).filter((p) => p !== '/dev/null')).size;
  }

  get state(): DaemonState {
    return this.shutdown;
  }

  list(): ProcessInfo[] {
    return this.all().map((p) => p.instance.info());
  }

  describe(targets: Selector[]): ProcessDescription[] {
    return this.select(targets).map(({ app, instance }) => describeProcess(app, instance, this.monitorIntervalMs));
  }

  history(id: number): { id: number; interval_ms: number; samples: MetricsSample[] } {
    const [found] = this.select([String(id)]);
    return { id, interval_ms: this.monitorIntervalMs, samples: found!.instance.resources.samples.list() };
  }

  /** Instances with a live process, for the monitor. */
  running(): Instance[] {
    return this.all()
      .map((p) => p.instance)
      .filter((i) => i.pid !== null && i.isRunning());
  }

  /** Stops every app in parallel (daemon shutdown); returns how many instances were running. */
  async stopAll(): Promise<number> {
    this.shutdown = 'shutting-down';
    await Promise.all([...this.apps.values()].map((a) => a.triggers.stop()));
    const all = this.all();
    const running = all.filter((p) => p.instance.isRunning() || p.instance.status === 'waiting-restart').length;
    // Every stop is bounded on its own; this bound is the daemon's promise that SIGTERM always ends it.
    const bound = Math.max(0, ...all.map((p) => p.app.config.kill_timeout)) + SHUTDOWN_MARGIN_MS;
    const stopped = Promise.all(all.map((p) => p.instance.stop()));
    if ((await withTimeout(stopped, bound)) === 'timed-out') {
      const left = all.filter((p) => p.instance.isRunning());
      this.log(`shutdown: ${left.map((p) => `${p.name}#${p.id}`).join(', ')} still stopping after ${bound} ms; killing them`);
      for (const p of left) p.instance.kill();
    }
    await withTimeout(Promise.all([...this.apps.values()].map((a) => a.close())), SHUTDOWN_MARGIN_MS);
    return running;
  }

  subscribe(listener: EventListener, withLogs: boolean): () => void {
    this.listeners.add(listener);
    if (withLogs) this.logListeners++;
    return () => {
      if (this.listeners.delete(listener) && withLogs) this.logListeners--;
    };
  }

  emit(event: SupEvent): void {
    for (const listener of this.listeners) listener(event);
    if (event.type === 'process' || event.type === 'removed') this.onChange();
  }

  /** Everything needed to bring the apps back: configs, environments, ids, counters, what runs. */
  snapshot(): SavedApps {
    const envs: Record<string, string>[] = [];
    const envIndex = new Map<object, number>();
    const apps: SavedApp[] = [...this.apps.values()].map((app) => {
      let env = envIndex.get(app.baseEnv);
      if (env === undefined) envIndex.set(app.baseEnv, (env = envs.push({ ...app.baseEnv }) - 1));
      return { config: app.config, env, instances: app.instances.map((i) => i.saved()) };
    });
    return { next_id: this.nextId, envs, apps };
  }

  /**
   * Brings back the apps of a snapshot (a dead daemon's state, or a dump): their configs, environments,
   * ids (where free), restart counters; instances that were stopped or errored stay so. Apps with a name
   * already managed are skipped.
   */
  async restore(
    snapshot: SavedApps,
    clear: (app: string) => Promise<unknown> = async () => undefined,
  ): Promise<{ processes: ProcessInfo[]; skipped: string[] }> {
    const used = new Set(this.all().map((p) => p.id));
    const highest = Math.max(-1, ...snapshot.apps.flatMap((a) => a.instances.map((i) => i.id)));
    this.nextId = Math.max(this.nextId, snapshot.next_id, highest + 1);
    const skipped: string[] = [];
    const restored: App[] = [];
    const wanted = new Map<string, SavedInstance[]>();

    for (const saved of snapshot.apps) {
      if (this.apps.has(saved.config.name)) {
        skipped.push(saved.config.name);
        continue;
      }
      const slots: Slot[] = saved.instances.map((i) => ({ id: used.has(i.id) ? this.nextId++ : i.id, index: i.index }));
      slots.forEach((s) => used.add(s.id));
      const { config, instances } = runnableOrErrored({ ...saved.config, instances: slots.length }, saved.instances);
      const app = new App(config, snapshot.envs[saved.env] ?? {}, slots, this);
      app.instances.forEach((instance, k) => instance.restoreFrom(instances[k]!));
      wanted.set(config.name, instances);
      this.apps.set(config.name, app);
      restored.push(app);
    }
    this.onChange();
    // Each app starts as soon as what an earlier daemon left of it is gone (`clear`), not after every app's.
    await Promise.all(
      restored.map(async (app) => {
        await clear(app.config.name);
        // A `sup kill` during the wait wins: nothing starts behind a shutdown (it would outlive the daemon).
        if (this.shutdown !== 'running') return;
        const saved = wanted.get(app.config.name)!;
        await Promise.all(app.instances.filter((_, k) => saved[k]!.wanted === 'running').map((i) => i.start()));
      }),
    );
    await this.syncTriggers(restored);
    return { processes: restored.flatMap((a) => a.instances.map((i) => i.info())), skipped };
  }

  wantsLogs(): boolean {
    return this.logListeners > 0;
  }

  private async each(targets: Selector[], op: (i: Instance) => Promise<void>): Promise<ProcessInfo[]> {
    const picked = this.select(targets);
    await Promise.all(picked.map((p) => op(p.instance)));
    await this.syncTriggers([...new Set(picked.map((p) => p.app))]);
    return picked.map((p) => p.instance.info());
  }

  /** Watching and cron run while an app has any instance not stopped by request. */
  private async syncTriggers(apps: App[]): Promise<void> {
    await Promise.all(apps.map((app) => (app.instances.every((i) => i.status === 'stopped') ? app.triggers.stop() : app.triggers.start())));
  }

  /** Stops instances and takes them out of the app (and the app out of sup once it has none). */
  private async drop(app: App, gone: Instance[]): Promise<ProcessInfo[]> {
    await Promise.all(gone.map((i) => i.remove()));
    const infos = gone.map((i) => i.info());
    app.removeInstances(gone);
    for (const i of gone) this.emit({ type: 'removed', id: i.id, name: app.config.name });
    if (app.instances.length === 0) {
      this.apps.delete(app.config.name);
      await app.close();
    }
    return infos;
  }

  /** Stops and forgets a whole app, keeping its ids for the configuration replacing it (`start -f`). */
  private async remove(app: App): Promise<number[]> {
    await Promise.all(app.instances.map((i) => i.remove()));
    this.apps.delete(app.config.name);
    await app.close();
    return app.instances.map((i) => i.id);
  }

  private select(targets: Selector[]): Located[] {
    return selectByTargets(this.all(), targets);
  }

  private all(): Located[] {
    const out: Located[] = [];
    for (const app of this.apps.values()) {
      for (const instance of app.instances) out.push({ id: instance.id, name: app.config.name, app, instance });
    }
    return out.sort((a, b) => a.id - b.id);
  }
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
