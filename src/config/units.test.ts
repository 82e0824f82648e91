import { describe, expect, it } from 'vitest';
import { closest, editDistance, parseDuration, parseSize, resolveInstances, splitArgs } from './units.js';

describe('parseDuration', () => {
  it.each<[unknown, number]>([
    ['500ms', 500],
    ['5s', 5000],
    ['1.5m', 90_000],
    ['1h', 3_600_000],
    [1600, 1600],
    ['1600', 1600],
    [0, 0],
    ['0', 0],
    ['0s', 0],
    [' 5s ', 5000],
    ['5 s', 5000],
    ['5S', 5000],
    ['1.5s', 1500],
    [1.4, 1],
    ['0.0005s', 1],
  ])('reads %j as %d ms', (input, ms) => {
    expect(parseDuration(input)).toBe(ms);
  });

  it.each<[unknown]>([
    ['fast'],
    [-1],
    ['-1'],
    ['-5s'],
    ['5 sec'],
    ['5w'],
    ['5sm'],
    ['.5s'],
    ['1e3'],
    [''],
    ['   '],
    [NaN],
    [Infinity],
    [-Infinity],
    [null],
    [undefined],
    [true],
    [{}],
    [['5s']],
  ])('rejects %j', (input) => {
    expect(parseDuration(input)).toBeUndefined();
  });
});

describe('parseSize', () => {
  it.each<[unknown, number]>([
    ['200M', 200 * 1024 ** 2],
    ['1G', 1024 ** 3],
    ['512K', 512 * 1024],
    ['512k', 512 * 1024],
    ['1.5G', 1.5 * 1024 ** 3],
    [512000000, 512000000],
    ['1024', 1024],
    [' 10M ', 10 * 1024 ** 2],
  ])('reads %j as %d bytes', (input, bytes) => {
    expect(parseSize(input)).toBe(bytes);
  });

  it.each<[unknown]>([['200mb'], ['200MB'], [0], ['0'], ['0M'], ['-5M'], [-5], ['5T'], ['M'], [''], [NaN], [Infinity], [null], [true]])(
    'rejects %j',
    (input) => {
      expect(parseSize(input)).toBeUndefined();
    },
  );
});

describe('resolveInstances', () => {
  it.each<[unknown, number, number]>([
    ['max', 8, 8],
    [0, 8, 8],
    ['0', 8, 8],
    [-1, 8, 7],
    ['-1', 8, 7],
    [-7, 8, 1],
    [-8, 8, 1],
    [-100, 8, 1],
    [-1, 1, 1],
    [3, 8, 3],
    ['3', 8, 3],
    [' 3 ', 8, 3],
    [1, 8, 1],
    [16, 4, 16],
  ])('resolves %j with %d CPUs to %d', (input, cpus, expected) => {
    expect(resolveInstances(input, cpus)).toBe(expected);
  });

  it('never resolves to fewer than one instance', () => {
    for (let cpus = 1; cpus <= 16; cpus++) {
      for (let n = -20; n <= 0; n++) expect(resolveInstances(n, cpus)).toBeGreaterThanOrEqual(1);
    }
  });

  it.each<[unknown]>([[2.5], ['2.5'], ['abc'], ['MAX'], [''], [NaN], [Infinity], [null], [undefined], [true], [[2]]])(
    'rejects %j',
    (input) => {
      expect(resolveInstances(input, 8)).toBeUndefined();
    },
  );
});

describe('splitArgs', () => {
  it.each<[string, string[]]>([
    ['', []],
    ['   ', []],
    ['--port 3000', ['--port', '3000']],
    ['  --port   3000  ', ['--port', '3000']],
    ['a\tb\nc', ['a', 'b', 'c']],
    [`'a b' c`, ['a b', 'c']],
    [`"a b" c`, ['a b', 'c']],
    [`"say \\"hi\\""`, ['say "hi"']],
    [`"back\\\\slash"`, ['back\\slash']],
    [`'it''s'`, ['its']],
    [`""`, ['']],
    [`'' x`, ['', 'x']],
    [`"a b"'c d'`, ['a bc d']],
    [`--name "my app" --verbose`, ['--name', 'my app', '--verbose']],
  ])('splits %j into %j', (input, argv) => {
    expect(splitArgs(input)).toEqual(argv);
  });

  // Bug: `\S+` matches `--name="a` before the quoted alternative gets a chance, so the quotes are kept and the value split.
  // Got ["--name=\"a", "b\"", "--x"].
  it('joins --name="a b" into one argument without the quotes', () => {
    expect(splitArgs('--name="a b" --x')).toEqual(['--name=a b', '--x']);
  });

  it("joins --title='a b' into one argument without the quotes", () => {
    expect(splitArgs(`--title='a b'`)).toEqual(['--title=a b']);
  });
});

describe('editDistance', () => {
  it.each<[string, string, number]>([
    ['', '', 0],
    ['abc', '', 3],
    ['', 'abc', 3],
    ['same', 'same', 0],
    ['kitten', 'sitting', 3],
    ['max_restart', 'max_restarts', 1],
    ['flaw', 'lawn', 2],
    ['abc', 'acb', 2],
  ])('between %j and %j is %d', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
    expect(editDistance(b, a)).toBe(d);
  });
});

describe('closest', () => {
  const keys = ['max_restarts', 'min_uptime', 'restart_delay', 'kill_timeout', 'script', 'name', 'env'];

  it.each<[string, string]>([
    ['max_restart', 'max_restarts'],
    ['MAX_RESTARTS', 'max_restarts'],
    ['min_uptim', 'min_uptime'],
    ['kill_timout', 'kill_timeout'],
    ['scirpt', 'script'],
    ['nmae', 'name'],
  ])('suggests %j for %j', (word, suggestion) => {
    expect(closest(word, keys)).toBe(suggestion);
  });

  it('keeps the suggestion in its own casing', () => {
    expect(closest('Max_Restarts', keys)).toBe('max_restarts');
  });

  it.each([['completely_unrelated'], ['xyz'], ['foo']])('suggests nothing for %j', (word) => {
    expect(closest(word, keys)).toBeUndefined();
  });

  it('suggests nothing from an empty list', () => {
    expect(closest('name', [])).toBeUndefined();
  });

  it('prefers the nearest of several candidates', () => {
    expect(closest('restart_dela', ['restart_delay', 'restart_delays_x'])).toBe('restart_delay');
  });
});
