import type { DependencyCondition } from '../../config/app-config.js';
import { closest } from '../../config/units.js';

/**
 * Start order from `depends_on`, pure: every name must be an app of this start or one sup already runs, and there
 * must be no cycle. The answer is in waves: each wave depends only on earlier ones (and on apps outside the start).
 */
export interface DependencyNode {
  name: string;
  depends_on: Readonly<Record<string, DependencyCondition>>;
}

export type OrderResult = { ok: true; waves: string[][] } | { ok: false; error: string };

export function dependencyOrder(nodes: readonly DependencyNode[], known: ReadonlySet<string>): OrderResult {
  const names = new Set(nodes.map((n) => n.name));
  for (const node of nodes) {
    for (const dep of Object.keys(node.depends_on)) {
      if (names.has(dep) || known.has(dep)) continue;
      const guess = closest(dep, [...names, ...known]);
      return {
        ok: false,
        error: `app "${node.name}": depends_on names "${dep}", which is neither an app of this start nor one sup runs${guess ? ` (did you mean "${guess}"?)` : ''}`,
      };
    }
  }
  const cycle = findCycle(nodes);
  if (cycle) return { ok: false, error: `depends_on has a cycle: ${cycle.join(' → ')}; nothing was started` };
  return { ok: true, waves: waves(nodes) };
}

/** The reverse of the start order among these apps (dependents first), for stopping; names outside are ignored. */
export function stopWaves(nodes: readonly DependencyNode[]): string[][] {
  return waves(nodes).reverse();
}

/** Kahn's algorithm over the edges inside the set; whatever a cycle leaves (never after dependencyOrder) goes last. */
function waves(nodes: readonly DependencyNode[]): string[][] {
  const names = new Set(nodes.map((n) => n.name));
  const pending = new Map(nodes.map((n) => [n.name, Object.keys(n.depends_on).filter((d) => names.has(d) && d !== n.name)]));
  const result: string[][] = [];
  const placed = new Set<string>();
  while (pending.size > 0) {
    const wave = [...pending].filter(([, deps]) => deps.every((d) => placed.has(d))).map(([name]) => name);
    if (wave.length === 0) {
      result.push([...pending.keys()]);
      break;
    }
    for (const name of wave) {
      pending.delete(name);
      placed.add(name);
    }
    result.push(wave);
  }
  return result;
}

/** The first cycle found, as a path that ends where it starts (a → b → a), or null. */
function findCycle(nodes: readonly DependencyNode[]): string[] | null {
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const state = new Map<string, 'visiting' | 'done'>();
  const path: string[] = [];
  const visit = (name: string): string[] | null => {
    if (state.get(name) === 'done') return null;
    if (state.get(name) === 'visiting') return [...path.slice(path.indexOf(name)), name];
    state.set(name, 'visiting');
    path.push(name);
    for (const dep of Object.keys(byName.get(name)?.depends_on ?? {})) {
      if (!byName.has(dep)) continue;
      const found = visit(dep);
      if (found) return found;
    }
    path.pop();
    state.set(name, 'done');
    return null;
  };
  for (const node of nodes) {
    const found = visit(node.name);
    if (found) return found;
  }
  return null;
}
