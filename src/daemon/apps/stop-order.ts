import type { App } from './app.js';
import { stopWaves } from './dependency-order.js';

/**
 * Acts on instances in the reverse of their apps' start order (dependents first, then what they depend on), each
 * wave in parallel: `web` stops before `api`, `api` before `db`. Dependencies outside the set do not matter.
 */
export async function inReverseDependencyOrder<T extends { app: App }>(
  items: readonly T[],
  act: (item: T) => Promise<unknown>,
): Promise<void> {
  const apps = [...new Set(items.map((i) => i.app))];
  for (const wave of stopWaves(apps.map((a) => a.config))) {
    await Promise.all(items.filter((i) => wave.includes(i.app.config.name)).map(act));
  }
}
