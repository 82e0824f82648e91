import { describe, expect, it } from 'vitest';
import { SupError } from '../../errors.js';
import { selectByTargets, type Selectable } from './selection.js';

const items: Selectable[] = [
  { id: 3, name: 'worker' },
  { id: 0, name: 'web' },
  { id: 1, name: 'web' },
  { id: 2, name: 'api' },
  { id: 10, name: '1x' },
];

const ids = (targets: string[]) => selectByTargets(items, targets).map((i) => i.id);

function selectionError(list: readonly Selectable[], targets: string[]): SupError {
  try {
    selectByTargets(list, targets);
  } catch (err) {
    expect(err).toBeInstanceOf(SupError);
    return err as SupError;
  }
  throw new Error(`expected ${JSON.stringify(targets)} to fail`);
}

describe('selectByTargets', () => {
  it('selects every instance of an app by name', () => {
    expect(ids(['web'])).toEqual([0, 1]);
  });

  it('selects one instance by id', () => {
    expect(ids(['1'])).toEqual([1]);
    expect(ids(['10'])).toEqual([10]);
  });

  it('reads a leading zero id as the number', () => {
    expect(ids(['03'])).toEqual([3]);
  });

  it('selects everything with "all", in id order', () => {
    expect(ids(['all'])).toEqual([0, 1, 2, 3, 10]);
  });

  it('refuses "all" when nothing is managed, so that `sup stop all` never reports a stop that did nothing', () => {
    expect(selectionError([], ['all']).code).toBe('NOT_FOUND');
    expect(selectionError([], ['all']).message).toMatch(/manages no apps/);
  });

  it('returns the items themselves', () => {
    expect(selectByTargets(items, ['api'])[0]).toBe(items[3]);
  });

  it('mixes names and ids, in id order', () => {
    expect(ids(['worker', '0', 'api'])).toEqual([0, 2, 3]);
  });

  it('removes duplicates', () => {
    expect(ids(['web', '0', 'web', '1', 'all'])).toEqual([0, 1, 2, 3, 10]);
    expect(ids(['api', 'api', '2'])).toEqual([2]);
  });

  it('matches a name that is not all digits as a name', () => {
    expect(ids(['1x'])).toEqual([10]);
  });

  it('matches names case-sensitively', () => {
    expect(selectionError(items, ['WEB']).code).toBe('NOT_FOUND');
  });

  it('names an unknown app in a NOT_FOUND error', () => {
    const err = selectionError(items, ['web', 'nope']);
    expect(err.code).toBe('NOT_FOUND');
    expect(err.message).toContain('no app "nope"');
  });

  it('names an unknown id in a NOT_FOUND error', () => {
    const err = selectionError(items, ['42']);
    expect(err.code).toBe('NOT_FOUND');
    expect(err.message).toContain('no id "42"');
  });

  it('fails on an unknown target even when the other targets match', () => {
    expect(selectionError(items, ['all', 'ghost']).code).toBe('NOT_FOUND');
  });

  it('refuses an empty list of targets with USAGE', () => {
    const err = selectionError(items, []);
    expect(err.code).toBe('USAGE');
    expect(err.message).toContain('"all"');
  });
});

describe('selectByTargets: targets as PM2 takes them', () => {
  const apps: Selectable[] = [
    { id: 0, name: 'echo-1', namespace: 'jobs', script: '/srv/echo.js' },
    { id: 1, name: 'echo-2', namespace: 'jobs', script: '/srv/echo.js' },
    { id: 2, name: 'child', namespace: 'default', script: '/srv/lib/child.js' },
    { id: 3, name: '455', namespace: 'default', script: '/srv/n.js' },
  ];
  const pick = (targets: string[]) => selectByTargets(apps, targets).map((i) => i.id);

  it('takes a regular expression in slashes over names', () => {
    expect(pick(['/echo-[12]/'])).toEqual([0, 1]);
    expect(pick(['/^ch/'])).toEqual([2]);
  });

  it('takes a namespace', () => {
    expect(pick(['jobs'])).toEqual([0, 1]);
  });

  it("takes the script's file name or path", () => {
    expect(pick(['child.js'])).toEqual([2]);
    expect(pick(['./lib/child.js'])).toEqual([2]);
    expect(pick(['/srv/echo.js'])).toEqual([0, 1]);
  });

  it('takes a number that is no id as a numeric name', () => {
    expect(pick(['455'])).toEqual([3]);
    expect(pick(['3'])).toEqual([3]);
  });

  it('reports a regular expression that matches nothing, or does not compile', () => {
    expect(selectionError(apps, ['/zzz/']).message).toContain('no app name matches /zzz/');
    expect(selectionError(apps, ['/(/']).code).toBe('USAGE');
  });
});
