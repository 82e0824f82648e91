import { APP_DEFAULTS, type AppConfig } from '../../config/app-config.js';
import type { KeptChild } from '../../protocol/keeper.js';
import type { ExitInfo, HandleEvents, Launcher, ProcessHandle, StopOptions, StopOutcome } from '../launch/launcher.js';
import { Instance } from './instance.js';
import type { InstanceOwner } from './owner.js';

/** A process that exists only in the test: the test says when it spawns, listens, is ready or exits. */
export class FakeHandle implements ProcessHandle {
  pid: number | undefined;
  readonly processGroup = null;
  readonly exited: Promise<void>;
  readonly stops: StopOptions[] = [];
  private markExited!: () => void;
  private done = false;

  constructor(
    private readonly events: HandleEvents,
    /** How the process answers a stop: at once, or only to the SIGKILL after kill_timeout. */
    private readonly onStop: 'exit' | 'ignore',
  ) {
    this.exited = new Promise((resolve) => (this.markExited = resolve));
  }

  spawn(pid: number): void {
    this.pid = pid;
    this.events.spawned(pid);
  }

  listen(): void {
    this.events.listening();
  }

  ready(): void {
    this.events.ready();
  }

  exit(exit: ExitInfo): void {
    if (this.done) return;
    this.done = true;
    this.markExited();
    this.events.exited(exit);
  }

  send(): boolean {
    return !this.done;
  }

  write(): boolean {
    return !this.done;
  }

  signal(): void {}

  async stop(options: StopOptions): Promise<StopOutcome> {
    this.stops.push(options);
    if (this.onStop === 'exit') {
      this.exit({ code: null, signal: options.signal });
      return 'exited';
    }
    this.exit({ code: null, signal: 'SIGKILL' });
    return 'killed';
  }

  reapLeftovers(): void {}
}

/** Hands out FakeHandles and keeps them, newest last. */
export class FakeLauncher implements Launcher {
  readonly handles: FakeHandle[] = [];
  onStop: 'exit' | 'ignore' = 'exit';

  launch(_env: Record<string, string>, events: HandleEvents): ProcessHandle {
    const handle = new FakeHandle(events, this.onStop);
    this.handles.push(handle);
    return handle;
  }

  adopt(child: KeptChild, events: HandleEvents): ProcessHandle {
    const handle = new FakeHandle(events, this.onStop);
    handle.pid = child.pid;
    this.handles.push(handle);
    return handle;
  }

  get last(): FakeHandle {
    const handle = this.handles.at(-1);
    if (!handle) throw new Error('nothing was launched');
    return handle;
  }
}

/** An instance of a fake app, with every status it goes through (and every event it reports) recorded in order. */
export function fakeInstance(config: Partial<AppConfig> = {}) {
  const launcher = new FakeLauncher();
  const statuses: string[] = [];
  const events: string[] = [];
  const owner: InstanceOwner = {
    config: { ...APP_DEFAULTS, name: 'app', script: '/app.js', cwd: '/', interpreter: 'node', ...config } as AppConfig,
    baseEnv: {},
    launcher,
    monitorIntervalMs: 1000,
    supEnv: {},
    changed: (i) => statuses.push(i.status),
    output: () => undefined,
    outputEnded: () => undefined,
    health: () => undefined,
    message: () => undefined,
    log: () => undefined,
    notify: (_i, event) => events.push(event),
  };
  const instance = new Instance(0, 0, owner);
  return { instance, launcher, statuses, events };
}
