import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  boolean,
  check,
  type Infer,
  Issue,
  integer,
  literal,
  mismatch,
  nullable,
  number,
  oneOf,
  optional,
  parseOrThrow,
  refine,
  show,
  string,
  transform,
  unknown,
  withDefault,
} from './shape.js';

const refused = (message: string, path: (string | number)[] = []) => ({ ok: false, issue: expect.objectContaining({ message, path }) });

describe('scalar shapes', () => {
  it('checks strings by length, pattern and test, and says what was expected', () => {
    expect(check(string(), '')).toEqual({ ok: true, value: '' });
    expect(check(string({ min: 1 }), '')).toEqual(refused('expected a non-empty string, got ""'));
    expect(check(string({ min: 1, max: 3 }), 'abcd')).toEqual(refused('expected a string of 1 to 3 characters, got "abcd"'));
    expect(check(string({ max: 2 }), 5)).toEqual(refused('expected a string of at most 2 characters, got 5'));
    expect(check(string({ pattern: /^SIG/ }), 'TERM')).toEqual(refused('expected a string matching /^SIG/, got "TERM"'));
    expect(check(string({ test: (s) => s.includes('@'), expected: 'an address' }), 'x')).toEqual(refused('expected an address, got "x"'));
    expect(check(string({ test: (s) => s.includes('@') }), 'a@b')).toEqual({ ok: true, value: 'a@b' });
  });

  it('takes safe whole numbers in range, and finite numbers', () => {
    expect(check(integer({ min: 0 }), 3)).toEqual({ ok: true, value: 3 });
    expect(check(integer({ min: 0 }), 'x')).toEqual(refused('expected a whole number ≥ 0, got "x"'));
    expect(check(integer({ min: 0 }), -1)).toEqual(refused('expected a whole number ≥ 0, got -1'));
    expect(check(integer(), 1.5)).toEqual(refused('expected a whole number, got 1.5'));
    expect(check(integer(), 2 ** 60).ok).toBe(false);
    expect(check(integer({ min: 1, max: 65535 }), 70000)).toEqual(refused('expected a whole number from 1 to 65535, got 70000'));
    expect(check(integer({ max: 9 }), 10)).toEqual(refused('expected a whole number ≤ 9, got 10'));
    expect(check(number(), 1.5)).toEqual({ ok: true, value: 1.5 });
    expect(check(number(), Number.POSITIVE_INFINITY)).toEqual(refused('expected a number, got Infinity'));
    expect(check(number(), Number.NaN).ok).toBe(false);
  });

  it('takes booleans, literals, one of a list, and anything', () => {
    expect(check(boolean(), 'true')).toEqual(refused('expected true or false, got "true"'));
    expect(check(literal(1), 1)).toEqual({ ok: true, value: 1 });
    expect(check(literal(1), 2)).toEqual(refused('expected 1, got 2'));
    expect(check(oneOf(['fork', 'cluster']), 'x')).toEqual(refused('expected "fork" or "cluster", got "x"'));
    expect(check(oneOf(['a', 'b', 'c']), null)).toEqual(refused('expected one of "a", "b", "c", got null'));
    expect(check(oneOf(['a', 'b', 'c']), 'c')).toEqual({ ok: true, value: 'c' });
    expect(check(unknown(), { any: 'thing' })).toEqual({ ok: true, value: { any: 'thing' } });
  });

  it('shows values briefly: never a whole large input', () => {
    expect(show(undefined)).toBe('nothing');
    expect(show([1, 2])).toBe('an array of 2 items');
    expect(show({ a: 1 })).toBe('an object');
    expect(show('x'.repeat(100))).toBe(`"${'x'.repeat(40)}"… (100 characters)`);
  });
});

describe('modifiers', () => {
  it('nullable takes null, and names both choices for a value of another kind', () => {
    const shape = nullable(string({ min: 1 }));
    expect(check(shape, null)).toEqual({ ok: true, value: null });
    expect(check(shape, 5)).toEqual(refused('expected a non-empty string or null, got 5'));
    expect(check(shape, '')).toEqual(refused('expected a non-empty string, got ""'));
  });

  it('optional takes undefined; withDefault fills it with a fresh copy', () => {
    expect(check(optional(integer()), undefined)).toEqual({ ok: true, value: undefined });
    const shape = withDefault(unknown(), { a: 1 } as unknown);
    const first = parseOrThrow(shape, undefined);
    expect(first).toEqual({ a: 1 });
    expect(parseOrThrow(shape, undefined)).not.toBe(first);
    expect(parseOrThrow(withDefault(integer(), 4), 5)).toBe(5);
  });

  it('refine adds a rule with its message; transform converts or refuses', () => {
    const even = refine(integer(), (n) => n % 2 === 0, 'an odd number');
    expect(check(even, 3)).toEqual(refused('an odd number'));
    expect(check(even, 'x')).toEqual(refused('expected a whole number, got "x"'));
    const doubled = transform(integer(), (n) => (n > 10 ? mismatch('at most 10', n) : n * 2));
    expect(check(doubled, 4)).toEqual({ ok: true, value: 8 });
    expect(check(doubled, 11)).toEqual(refused('expected at most 10, got 11'));
  });

  it('refine can name the refused value in its message', () => {
    const even = refine(
      integer(),
      (n) => n % 2 === 0,
      (n) => `expected an even number, got ${n}`,
    );
    expect(check(even, 3)).toEqual(refused('expected an even number, got 3'));
  });

  it('parseOrThrow throws the issue for a value that does not fit', () => {
    expect(() => parseOrThrow(integer(), 'x')).toThrow('(top): expected a whole number, got "x"');
  });

  it('infers the types the shapes produce', () => {
    expectTypeOf<Infer<ReturnType<typeof nullable<string>>>>().toEqualTypeOf<string | null>();
    const even = refine(integer(), (n) => n % 2 === 0, 'odd');
    expectTypeOf<Infer<typeof even>>().toEqualTypeOf<number>();
    expectTypeOf<Infer<ReturnType<typeof oneOf<['a', 'b']>>>>().toEqualTypeOf<'a' | 'b'>();
    expect(new Issue('x').under('a').under(0).path).toEqual([0, 'a']);
  });
});
