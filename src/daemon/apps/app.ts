import type { AppConfig, HookEvent } from '../../config/app-config.js';
import { AppLogs } from '../../logs/app-logs.js';
import type { WriteBarrier } from '../../logs/write-barrier.js';
import type { LogPaths } from '../../logs/log-paths.js';
import type { HookFailure } from '../../protocol/messages.js';
import type { Keeper } from '../launch/keeper.js';
import { KeeperLauncher } from '../launch/keeper-launcher.js';
import { Instance } from '../instance/instance.js';
import type { EventFacts, InstanceOwner, InstanceView } from '../instance/owner.js';
import type { Launcher } from '../launch/launcher.js';
import { RestartTriggers } from '../triggers/restart-triggers.js';
import type { EventBus } from '../events.js';
import type { WatcherHost } from '../triggers/watcher-host.js';
import type { Hooks } from '../triggers/hooks/hooks.js';

/** What every app shares, handed to each App when it is made (the daemon builds it once). */
export interface AppServices {
  readonly events: EventBus;
  log(message: string): void;
  readonly logsDir: string;
  readonly monitorIntervalMs: number;
  readonly watcher: WatcherHost;
  /** sup's own files (daemon log, socket, logs folder, state): never a reason to restart a watching app. */
  readonly supFiles: readonly string[];
  /** Variables every app process gets from sup (see instanceEnv). */
  readonly supEnv: Readonly<Record<string, string>>;
  /** What the log files have not yet written (the keeper's frames are acknowledged once they are). */
  readonly writes: WriteBarrier;
  /** The keeper, which holds every process; and SUP_HOME, whose mark every process carries. */
  readonly keeper: Keeper;
  readonly home: string;
  /** Runs the hooks of app events; what failed lately, for describe. */
  readonly hooks: Hooks;
  /** A watched file changed or the cron schedule fired. */
  triggered(app: App, reason: string): void;
}

/** An instance's place: its id (unique in the daemon) and its number within the app. */
export interface Slot {
  id: number;
  index: number;
}

/** An app: its resolved config, the environment it was started with, its instances and their log files. */
export class App implements InstanceOwner {
  readonly instances: Instance[];
  readonly launcher: Launcher;
  readonly monitorIntervalMs: number;
  readonly supEnv: Readonly<Record<string, string>>;
  readonly triggers: RestartTriggers;
  readonly logs: AppLogs;

  constructor(
    private current: AppConfig,
    private shellEnv: Readonly<Record<string, string>>,
    slots: readonly Slot[],
    private readonly services: AppServices,
  ) {
    this.monitorIntervalMs = services.monitorIntervalMs;
    this.supEnv = services.supEnv;
    this.launcher = new KeeperLauncher(services.keeper, services.home, () => this.config);
    this.instances = slots.map(({ id, index }) => new Instance(id, index, this));
    this.logs = new AppLogs(
      () => this.config,
      () => this.instances.map((i) => i.index),
      services.logsDir,
      (m) => this.log(`${this.config.name}: ${m}`),
      services.writes,
    );
    this.triggers = new RestartTriggers(
      () => this.config,
      () => [...this.services.supFiles, ...this.logs.allPaths()],
      (reason) => this.services.triggered(this, reason),
      services.watcher,
    );
  }

  get config(): AppConfig {
    return this.current;
  }

  /** The environment of the CLI that started the app (or of the last `--update-env`). */
  get baseEnv(): Readonly<Record<string, string>> {
    return this.shellEnv;
  }

  /** `sup scale`: the new instance count (the routes of log files follow). */
  resize(instances: number): void {
    this.current = { ...this.current, instances };
    this.logs.changed();
  }

  /** `--update-env`: the next processes get this config and environment (the instance count changes through resize). */
  update(config: AppConfig, shellEnv: Readonly<Record<string, string>>): void {
    this.current = { ...config, instances: this.current.instances };
    this.shellEnv = shellEnv;
    this.logs.changed();
  }

  /** Only through Registry.rename, which keys the app by its name. */
  rename(name: string): void {
    this.current = { ...this.current, name };
    this.logs.changed();
  }

  /** Adds instances with the lowest free instance numbers (numbers are reused after scaling down). */
  addInstances(ids: readonly number[]): Instance[] {
    const used = new Set(this.instances.map((i) => i.index));
    const added: Instance[] = [];
    let index = 0;
    for (const id of ids) {
      while (used.has(index)) index++;
      used.add(index);
      added.push(new Instance(id, index, this));
    }
    this.instances.push(...added);
    this.logs.changed();
    this.instances.sort((a, b) => a.index - b.index);
    return added;
  }

  removeInstances(gone: readonly Instance[]): void {
    const keep = this.instances.filter((i) => !gone.includes(i));
    this.instances.splice(0, this.instances.length, ...keep);
    this.logs.changed();
  }

  logPaths(instance: number): LogPaths {
    return this.logs.paths(instance);
  }

  output(instance: InstanceView, stream: 'out' | 'err', chunk: Buffer): Promise<void> | undefined {
    const congested = this.logs.write(instance.id, instance.index, stream, chunk);
    if (this.services.events.wantsLogs()) {
      this.services.events.emit({
        type: 'log',
        id: instance.id,
        name: this.config.name,
        instance: instance.index,
        stream,
        data: chunk.toString('utf8'),
      });
    }
    return congested;
  }

  outputEnded(instance: InstanceView): void {
    this.logs.endSource(instance.id);
  }

  changed(instance: InstanceView): void {
    this.services.events.emit({ type: 'process', process: instance.info() });
  }

  message(instance: InstanceView, data: unknown): void {
    this.services.events.emit({ type: 'message', id: instance.id, name: this.config.name, instance: instance.index, data });
  }

  health(instance: InstanceView, status: 'healthy' | 'unhealthy', reason: string): void {
    this.services.events.emit({ type: 'health', id: instance.id, name: this.config.name, instance: instance.index, status, reason });
    // The hooks' and `sup events`' word for it.
    if (status === 'unhealthy') this.notify(instance, 'unhealthy', { reason });
  }

  notify(instance: InstanceView, event: HookEvent, facts: EventFacts = {}): void {
    this.services.events.emit({
      type: 'app-event',
      event: {
        event,
        app: this.config.name,
        id: instance.id,
        instance: instance.index,
        at: Date.now(),
        pid: facts.pid ?? null,
        exit_code: facts.exit?.code ?? null,
        signal: facts.exit?.signal ?? null,
        reason: facts.reason ?? null,
        stderr: facts.stderr ?? [],
      },
    });
  }

  hookFailures(): HookFailure[] {
    return this.services.hooks.failuresOf(this.config.name);
  }

  /** Messages name their subject themselves (app, app#id, file): passed on as they are. */
  log(message: string): void {
    this.services.log(message);
  }

  async close(): Promise<void> {
    await this.triggers.stop();
    await this.logs.close();
  }
}
