import { isEcosystemFile, loadEcosystem } from '../config/load.js';
import type { Selector } from '../protocol/messages.js';

/**
 * Expands CLI targets to selectors: an ecosystem file stands for the names of its apps.
 * Names only, so that stop and delete still work after a script was removed.
 */
export async function expandTargets(targets: readonly string[]): Promise<Selector[]> {
  const selectors: Selector[] = [];
  for (const target of targets) {
    if (!isEcosystemFile(target)) selectors.push(target);
    else selectors.push(...(await loadEcosystem(target, { checkRunnable: false })).apps.map((a) => a.name));
  }
  return selectors;
}
