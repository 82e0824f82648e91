import type { AppConfig, HookEvent } from '../../config/app-config.js';
import type { ExitInfo, Launcher } from '../launch/launcher.js';
import type { ProcessInfo, Status } from '../../protocol/messages.js';

/** What the owner sees of an instance it hears from. */
export interface InstanceView {
  readonly id: number;
  readonly index: number;
  readonly status: Status;
  info(): ProcessInfo;
}

/** What an instance needs from the app that owns it; read on every launch so that new config applies at restart. */
export interface InstanceOwner {
  readonly config: AppConfig;
  readonly baseEnv: Readonly<Record<string, string>>;
  readonly launcher: Launcher;
  readonly monitorIntervalMs: number;
  /** sup's own variables for every process (see instanceEnv). */
  readonly supEnv: Readonly<Record<string, string>>;
  changed(instance: InstanceView): void;
  /** A promise asks the source to pause until the log file has caught up. */
  output(instance: InstanceView, stream: 'out' | 'err', chunk: Buffer): Promise<void> | undefined;
  outputEnded(instance: InstanceView): void;
  message(instance: InstanceView, data: unknown): void;
  /** Its health check (or watchdog) turned it healthy or unhealthy: an event others can hook. */
  health(instance: InstanceView, became: 'healthy' | 'unhealthy', reason: string): void;
  log(message: string): void;
  /** Something happened to the instance (start, crash, …): for `sup events` and hooks. */
  notify(instance: InstanceView, event: HookEvent, facts?: EventFacts): void;
}

/** What an event knows besides its instance. */
export interface EventFacts {
  exit?: ExitInfo;
  reason?: string | null;
  pid?: number | null;
  /** The process's last stderr lines (exit, crash, errored): the run keeps them, so hooks and describe show the same. */
  stderr?: string[];
}
