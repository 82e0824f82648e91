import { isEcosystemFile, loadEcosystem } from '../config/load.js';
import type { Selector } from '../protocol/messages.js';

/**
 * Expands CLI targets to selectors: an ecosystem file stands for the names of its apps.
 * Names only, so that stop and delete still work after a script was removed.
 */
export function expandTargets(targets: readonly string[]): Selector[] {
  return targets.flatMap((t) => (isEcosystemFile(t) ? loadEcosystem(t, { checkRunnable: false }).apps.map((a) => a.name) : [t]));
}
