import type { AppServices } from './app.js';
import type { Registry } from './registry.js';
import type { RollingReloads } from './rolling-reload.js';

/** What the operations on apps (start, stop, reload, …) work with. */
export interface AppsContext {
  readonly registry: Registry;
  readonly reloads: RollingReloads;
  readonly services: AppServices;
  /** False once the daemon is stopping: nothing may start behind a shutdown (it would outlive the daemon). */
  accepting(): boolean;
}
