/**
 * sup's own checks for what crosses a process boundary (requests, state files, hooks.json, browser messages): a
 * shape checks a value, converts it where it says so, and gives its type to `Infer`. The daemon and the web server
 * use it instead of zod, whose ~100 modules cost each process megabytes and much of its start-up. This file holds
 * the issue, the scalars and the modifiers; shape-compound.ts the objects, arrays, records and unions.
 */

export type Path = (string | number)[];

/** The first thing wrong with a value, and where it is. */
export class Issue {
  constructor(
    readonly message: string,
    readonly path: Path = [],
    /** The value is of another kind altogether (a number for a string): a union then prefers another option's issue. */
    readonly wrongType = false,
  ) {}

  /** The same issue, seen from the container that holds the value under `key`. */
  under(key: string | number): Issue {
    return new Issue(this.message, [key, ...this.path]);
  }
}

export interface Shape<T> {
  /** The value, checked and converted where the shape says so, or the first issue with it. */
  readonly parse: (input: unknown) => T | Issue;
  /** What a good value looks like, for messages: "a whole number ≥ 0". */
  readonly expected: string;
  /** An object's absent key is an error unless the shape says otherwise: left absent ('omit') or defaulted. */
  readonly absent?: 'omit' | 'default';
}

export type Infer<S> = S extends Shape<infer T> ? T : never;
export type Checked<T> = { ok: true; value: T } | { ok: false; issue: Issue };

export function check<T>(shape: Shape<T>, input: unknown): Checked<T> {
  const value = shape.parse(input);
  return value instanceof Issue ? { ok: false, issue: value } : { ok: true, value };
}

/** For values sup writes itself (defaults): an issue there is a bug, not bad input. */
export function parseOrThrow<T>(shape: Shape<T>, input: unknown): T {
  const value = shape.parse(input);
  if (value instanceof Issue) throw new Error(`${value.path.join('.') || '(top)'}: ${value.message}`);
  return value;
}

/** A value for a message: short, and never the whole of a large input. */
export function show(input: unknown): string {
  if (input === undefined) return 'nothing';
  if (Array.isArray(input)) return `an array of ${input.length} item${input.length === 1 ? '' : 's'}`;
  if (typeof input === 'object' && input !== null) return 'an object';
  if (typeof input === 'function') return 'a function';
  if (typeof input === 'string')
    return input.length > 40 ? `${JSON.stringify(input.slice(0, 40))}… (${input.length} characters)` : JSON.stringify(input);
  return String(input);
}

/** The usual issue: what was expected, and what came instead. */
export function mismatch(expected: string, input: unknown, wrongType = false): Issue {
  return new Issue(`expected ${expected}, got ${show(input)}`, [], wrongType);
}

export interface StringRules {
  min?: number;
  max?: number;
  pattern?: RegExp;
  test?: (value: string) => boolean;
  /** Says what a good value is where the rules alone would not ("a URL such as …"). */
  expected?: string;
}

export function string(rules: StringRules = {}): Shape<string> {
  const { min = 0, max = Number.POSITIVE_INFINITY, pattern, test } = rules;
  const expected = rules.expected ?? describeString(min, max, pattern);
  return {
    expected,
    parse: (input) => {
      if (typeof input !== 'string') return mismatch(expected, input, true);
      const fits = input.length >= min && input.length <= max && (pattern?.test(input) ?? true) && (test?.(input) ?? true);
      return fits ? input : mismatch(expected, input);
    },
  };
}

function describeString(min: number, max: number, pattern: RegExp | undefined): string {
  const length = min === 1 && max === Number.POSITIVE_INFINITY ? 'a non-empty string' : sized('a string', min, max, 'character');
  return pattern ? `${length} matching ${pattern}` : length;
}

/** A length range in words: "a string of 1 to 256 characters", "an array of at least 1 item". */
export function sized(noun: string, min: number, max: number, unit: string): string {
  const units = (n: number) => `${n} ${unit}${n === 1 ? '' : 's'}`;
  if (max === Number.POSITIVE_INFINITY) return min > 0 ? `${noun} of at least ${units(min)}` : noun;
  return min > 0 ? `${noun} of ${min} to ${units(max)}` : `${noun} of at most ${units(max)}`;
}

export interface NumberRules {
  min?: number;
  max?: number;
}

/** A safe integer (as zod's int()): a larger one has already lost its precision. */
export const integer = (rules: NumberRules = {}): Shape<number> => numeric('a whole number', Number.isSafeInteger, rules);
/** A finite number. */
export const number = (rules: NumberRules = {}): Shape<number> => numeric('a number', Number.isFinite, rules);

function numeric(noun: string, isKind: (n: number) => boolean, rules: NumberRules): Shape<number> {
  const { min = Number.NEGATIVE_INFINITY, max = Number.POSITIVE_INFINITY } = rules;
  const [low, high] = [min > Number.NEGATIVE_INFINITY, max < Number.POSITIVE_INFINITY];
  const expected = low && high ? `${noun} from ${min} to ${max}` : low ? `${noun} ≥ ${min}` : high ? `${noun} ≤ ${max}` : noun;
  return {
    expected,
    parse: (input) => {
      if (typeof input !== 'number') return mismatch(expected, input, true);
      return isKind(input) && input >= min && input <= max ? input : mismatch(expected, input);
    },
  };
}

export function boolean(): Shape<boolean> {
  const expected = 'true or false';
  return { expected, parse: (input) => (typeof input === 'boolean' ? input : mismatch(expected, input, true)) };
}

export interface LiteralShape<V> extends Shape<V> {
  readonly value: V;
}

export function literal<const V extends string | number | boolean>(value: V): LiteralShape<V> {
  const expected = JSON.stringify(value);
  return {
    value,
    expected,
    parse: (input) => (input === value ? value : mismatch(expected, input, typeof input !== typeof value)),
  };
}

/** One of a list of strings (an enum). */
export function oneOf<const V extends readonly string[]>(values: V): Shape<V[number]> {
  const expected = listOf(values);
  return {
    expected,
    parse: (input) => {
      if (typeof input !== 'string') return mismatch(expected, input, true);
      return values.includes(input) ? input : mismatch(expected, input);
    },
  };
}

/** '"a" or "b"', or 'one of "a", "b", "c"'. */
export function listOf(values: readonly string[]): string {
  const quoted = values.map((v) => JSON.stringify(v));
  return quoted.length === 2 ? `${quoted[0]} or ${quoted[1]}` : `one of ${quoted.join(', ')}`;
}

/** Anything at all; the key must still be there in an object (as zod's unknown()). */
export function unknown(): Shape<unknown> {
  return { expected: 'any value', parse: (input) => input };
}

/** An object's key that may be absent (or undefined). */
export function optional<T>(shape: Shape<T>): Shape<T | undefined> & { readonly absent: 'omit' } {
  return { expected: shape.expected, absent: 'omit', parse: (input) => (input === undefined ? undefined : shape.parse(input)) };
}

export function nullable<T>(shape: Shape<T>): Shape<T | null> {
  const expected = `${shape.expected} or null`;
  return {
    expected,
    parse: (input) => {
      if (input === null) return null;
      const value = shape.parse(input);
      // A value of another kind is told both choices; a near miss keeps the inner shape's precise message.
      return value instanceof Issue && value.wrongType && value.path.length === 0 ? mismatch(expected, input, true) : value;
    },
  };
}

/** Undefined (or an absent key) becomes a fresh copy of `fallback`, so that no caller shares the default's object. */
export function withDefault<T>(shape: Shape<T>, fallback: T): Shape<T> & { readonly absent: 'default' } {
  const fresh = (): T =>
    Array.isArray(fallback) ? ([...fallback] as T) : typeof fallback === 'object' && fallback !== null ? { ...fallback } : fallback;
  return { expected: shape.expected, absent: 'default', parse: (input) => (input === undefined ? fresh() : shape.parse(input)) };
}

/** A further rule on a value that has the shape; `message` says what is wrong when it does not hold (given the value, it can name it). */
export function refine<T>(shape: Shape<T>, holds: (value: T) => boolean, message: string | ((value: T) => string)): Shape<T> {
  return {
    expected: shape.expected,
    parse: (input) => {
      const value = shape.parse(input);
      if (value instanceof Issue || holds(value)) return value;
      return new Issue(typeof message === 'string' ? message : message(value));
    },
  };
}

/** A value that has the shape, converted; `convert` returns an Issue (e.g. `mismatch(…)`) for one it cannot convert. */
export function transform<T, U>(shape: Shape<T>, convert: (value: T) => U | Issue): Shape<U> {
  return {
    expected: shape.expected,
    parse: (input) => {
      const value = shape.parse(input);
      return value instanceof Issue ? value : convert(value);
    },
  };
}
