import { isEcosystemFile } from '../config/ecosystem-file.js';
import type { Selector } from '../protocol/messages.js';

/**
 * Expands CLI targets to selectors: an ecosystem file stands for the names of its apps.
 * Names only, so that stop and delete still work after a script was removed.
 */
export async function expandTargets(targets: readonly string[]): Promise<Selector[]> {
  const selectors: Selector[] = [];
  for (const target of targets) {
    if (!isEcosystemFile(target)) selectors.push(target);
    else {
      // The file readers (and their validation) load only for a command that names a file.
      const { loadEcosystem } = await import('../config/load.js');
      selectors.push(...(await loadEcosystem(target, { checkRunnable: false })).apps.map((a) => a.name));
    }
  }
  return selectors;
}
