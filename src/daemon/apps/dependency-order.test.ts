import { describe, expect, it } from 'vitest';
import type { DependencyCondition } from '../../config/app-config.js';
import { dependencyOrder, stopWaves } from './dependency-order.js';

const app = (name: string, deps: string[] | Record<string, DependencyCondition> = []) => ({
  name,
  depends_on: Array.isArray(deps) ? Object.fromEntries(deps.map((d) => [d, 'online' as const])) : deps,
});
const none = new Set<string>();

describe('dependencyOrder', () => {
  it('puts each app after what it depends on, independent apps together', () => {
    const result = dependencyOrder([app('web', ['api']), app('api', { migrate: 'completed' }), app('migrate'), app('cron')], none);
    expect(result).toEqual({ ok: true, waves: [['migrate', 'cron'], ['api'], ['web']] });
  });

  it('accepts a dependency on an app sup already runs', () => {
    expect(dependencyOrder([app('api', ['db'])], new Set(['db']))).toEqual({ ok: true, waves: [['api']] });
  });

  it('refuses an unknown name, naming the app and guessing the intended one', () => {
    const result = dependencyOrder([app('api', ['migrat']), app('migrate')], none);
    expect(result).toEqual({
      ok: false,
      error: 'app "api": depends_on names "migrat", which is neither an app of this start nor one sup runs (did you mean "migrate"?)',
    });
  });

  it('refuses a cycle, naming it', () => {
    const result = dependencyOrder([app('a', ['b']), app('b', ['c']), app('c', ['a']), app('d')], none);
    expect(result).toEqual({ ok: false, error: 'depends_on has a cycle: a → b → c → a; nothing was started' });
  });

  it('refuses an app that depends on itself', () => {
    expect(dependencyOrder([app('a', ['a'])], none)).toMatchObject({ ok: false, error: expect.stringContaining('a → a') });
  });
});

describe('stopWaves', () => {
  it('stops dependents first', () => {
    expect(stopWaves([app('db'), app('api', ['db']), app('web', ['api', 'db'])])).toEqual([['web'], ['api'], ['db']]);
  });

  it('ignores dependencies outside the set', () => {
    expect(stopWaves([app('api', ['db']), app('web', ['api'])])).toEqual([['web'], ['api']]);
  });
});
