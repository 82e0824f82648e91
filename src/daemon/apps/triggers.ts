import type { App } from './app.js';

/** Watching and cron run while an app has any instance not stopped by request. */
export async function syncTriggers(apps: readonly App[]): Promise<void> {
  await Promise.all(apps.map((app) => (app.instances.every((i) => i.status === 'stopped') ? app.triggers.stop() : app.triggers.start())));
}
