import { isEcosystemFile } from '../config/ecosystem-file.js';
import type { Selector } from '../protocol/messages.js';
import { readStdinDocument } from './read-stdin.js';

/**
 * Expands CLI targets to selectors: an ecosystem file, or a document on stdin (`-`, which main hands over as
 * /dev/stdin), stands for the names of its apps (those of `--only`, when given). Names only, so that stop and delete still work after a script was
 * removed.
 */
export async function expandTargets(targets: readonly string[], command = 'describe', only?: readonly string[]): Promise<Selector[]> {
  const selectors: Selector[] = [];
  for (const target of targets) {
    const stdin = target === '/dev/stdin' || target === '-';
    if (!stdin && !isEcosystemFile(target)) selectors.push(target);
    else {
      // The file readers (and their validation) load only for a command that names a file.
      const { loadEcosystem, loadEcosystemText } = await import('../config/load.js');
      const options = { checkRunnable: false, only: only?.length ? [...only] : undefined };
      const loaded = stdin ? await loadEcosystemText(await readStdinDocument(command), options) : await loadEcosystem(target, options);
      // A numeric name as a target is read as an id first: the file's app is meant, so its exact name it is.
      selectors.push(...loaded.apps.map((a) => (/^\d+$/.test(a.name) ? `/^${a.name}$/` : a.name)));
    }
  }
  return selectors;
}
