import { basename } from 'node:path';
import { SupError } from '../../errors.js';
import type { Selector } from '../../protocol/messages.js';

export interface Selectable {
  id: number;
  name: string;
  namespace?: string;
  script?: string;
}

/**
 * What a target means, as PM2 reads it: "all"; /a regular expression/ over names; a number (an id, else a name that
 * is a number); a name; a namespace; or the script's file (`sup restart child.js`, by its name or its path).
 */
function matches<T extends Selectable>(items: readonly T[], target: string): T[] {
  if (target === 'all') return [...items];
  const regex = /^\/(.+)\/$/.exec(target);
  if (regex) {
    const pattern = toRegExp(regex[1]!, target);
    return items.filter((i) => pattern.test(i.name));
  }
  if (/^\d+$/.test(target)) {
    const byId = items.filter((i) => i.id === Number(target));
    if (byId.length > 0) return byId;
  }
  const byName = items.filter((i) => i.name === target);
  if (byName.length > 0) return byName;
  const byNamespace = items.filter((i) => i.namespace === target && target !== 'default');
  if (byNamespace.length > 0) return byNamespace;
  const path = target.replace(/^\.\//, '');
  return items.filter(
    (i) => i.script !== undefined && (i.script === target || basename(i.script) === path || i.script.endsWith(`/${path}`)),
  );
}

function toRegExp(source: string, target: string): RegExp {
  try {
    return new RegExp(source);
  } catch (err) {
    throw new SupError('USAGE', `${target} is not a valid regular expression: ${(err as Error).message}`);
  }
}

/**
 * Resolves selectors to items, in id order and without duplicates.
 * A selector that matches nothing is an error, so that a typo never silently does nothing.
 */
export function selectByTargets<T extends Selectable>(items: readonly T[], targets: readonly Selector[]): T[] {
  if (targets.length === 0) throw new SupError('USAGE', 'name an app, an id, or "all"');
  const picked = new Set<T>();
  for (const target of targets) {
    const found = matches(items, target);
    if (found.length === 0 && target === 'all')
      throw new SupError('NOT_FOUND', 'sup manages no apps, so "all" matches nothing; see `sup list`');
    if (found.length === 0) {
      const what = /^\/.+\/$/.test(target)
        ? `app name matches ${target}`
        : /^\d+$/.test(target)
          ? `id "${target}" (nor an app of that name) is managed by sup`
          : `app "${target}" is managed by sup (nor a namespace or script of that name)`;
      throw new SupError('NOT_FOUND', `no ${what}; see \`sup list\``);
    }
    found.forEach((m) => picked.add(m));
  }
  return [...picked].sort((a, b) => a.id - b.id);
}
