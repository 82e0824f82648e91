import { SupError } from '../../errors.js';
import type { Selector } from '../../protocol/messages.js';

export interface Selectable {
  id: number;
  name: string;
}

/**
 * Resolves selectors (a name, an id or "all") to items, in id order and without duplicates.
 * A selector that matches nothing is an error, so that a typo never silently does nothing.
 */
export function selectByTargets<T extends Selectable>(items: readonly T[], targets: readonly Selector[]): T[] {
  if (targets.length === 0) throw new SupError('USAGE', 'name an app, an id, or "all"');
  const picked = new Set<T>();
  for (const target of targets) {
    const matches =
      target === 'all'
        ? items
        : /^\d+$/.test(target)
          ? items.filter((i) => i.id === Number(target))
          : items.filter((i) => i.name === target);
    if (matches.length === 0 && target === 'all')
      throw new SupError('NOT_FOUND', 'sup manages no apps, so "all" matches nothing; see `sup list`');
    if (matches.length === 0) {
      const kind = /^\d+$/.test(target) ? 'id' : 'app';
      throw new SupError('NOT_FOUND', `no ${kind} "${target}" is managed by sup; see \`sup list\``);
    }
    matches.forEach((m) => picked.add(m));
  }
  return [...picked].sort((a, b) => a.id - b.id);
}
