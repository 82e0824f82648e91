/** The shapes that hold other shapes: objects, arrays, records and unions (see shape.ts). */
import { type Infer, Issue, type LiteralShape, listOf, mismatch, type Shape, sized } from './shape.js';

export type Fields = Record<string, Shape<unknown>>;
type OptionalKeys<F> = { [K in keyof F]: F[K] extends { readonly absent: 'omit' } ? K : never }[keyof F];
type Flat<T> = { [K in keyof T]: T[K] } & {};
/** An object's type from its fields: `optional(…)` ones may be absent, as zod infers them; no fields, no keys at all. */
export type ObjectOf<F extends Fields> = [keyof F] extends [never]
  ? Record<string, never>
  : Flat<{ [K in Exclude<keyof F, OptionalKeys<F>>]: Infer<F[K]> } & { [K in OptionalKeys<F>]?: Infer<F[K]> }>;

export interface ObjectShape<F extends Fields> extends Shape<ObjectOf<F>> {
  readonly fields: F;
}

const isObject = (input: unknown): input is Record<string, unknown> => typeof input === 'object' && input !== null && !Array.isArray(input);

/**
 * An object with these keys. Any other key is an error naming it, unless `unknownKeys` is 'strip' (then it is left
 * out of the value). Keys are checked in the fields' order, and the unknown ones after them, as zod did.
 */
export function object<F extends Fields>(fields: F, options: { unknownKeys?: 'refuse' | 'strip' } = {}): ObjectShape<F> {
  const keys = Object.keys(fields);
  const strict = options.unknownKeys !== 'strip';
  const expected = 'an object';
  const parse = (input: unknown): ObjectOf<F> | Issue => {
    if (!isObject(input)) return mismatch(expected, input, true);
    const out: Record<string, unknown> = {};
    for (const key of keys) {
      const shape = fields[key]!;
      const present = Object.hasOwn(input, key);
      if (!present && shape.absent === 'omit') continue;
      if (!present && shape.absent !== 'default') return new Issue(`missing; expected ${shape.expected}`, [key]);
      const value = shape.parse(present ? input[key] : undefined);
      if (value instanceof Issue) return value.under(key);
      if (present || value !== undefined) out[key] = value;
    }
    if (strict)
      for (const key of Object.keys(input)) if (!Object.hasOwn(fields, key)) return new Issue(`unknown key ${JSON.stringify(key)}`);
    return out as ObjectOf<F>;
  };
  return { fields, expected, parse };
}

export function array<T>(item: Shape<T>, rules: { min?: number; max?: number } = {}): Shape<T[]> {
  const { min = 0, max = Number.POSITIVE_INFINITY } = rules;
  const expected = sized('an array', min, max, 'item');
  return {
    expected,
    parse: (input) => {
      if (!Array.isArray(input)) return mismatch(expected, input, true);
      // The length first: a request of a million items is refused before any of them is looked at.
      if (input.length < min || input.length > max) return mismatch(expected, input);
      const out: T[] = new Array(input.length);
      for (let i = 0; i < input.length; i++) {
        const value = item.parse(input[i]);
        if (value instanceof Issue) return value.under(i);
        out[i] = value;
      }
      return out;
    },
  };
}

const isPlainObject = (input: unknown): input is Record<string, unknown> =>
  isObject(input) && (Object.getPrototypeOf(input) === Object.prototype || Object.getPrototypeOf(input) === null);

/** Entries checked with `value`; an own key outside `keys` (when given) is an error naming it. */
function entries<T>(value: Shape<T>, keys: readonly string[] | undefined): Shape<Record<string, T>> {
  const expected = 'an object';
  return {
    expected,
    parse: (input) => {
      if (!isPlainObject(input)) return mismatch(expected, input, true);
      const out: Record<string, T> = {};
      for (const key of Object.keys(input)) {
        if (keys && !keys.includes(key)) return new Issue(`unknown key ${JSON.stringify(key)}; expected ${listOf(keys)}`);
        const checked = value.parse(input[key]);
        if (checked instanceof Issue) return checked.under(key);
        // Plain assignment, as zod did: a "__proto__" key of a string value is dropped, never a prototype.
        out[key] = checked;
      }
      return out;
    },
  };
}

/** An object of any string keys to values of one shape. */
export const record = <T>(value: Shape<T>): Shape<Record<string, T>> => entries(value, undefined);

/** An object whose keys are some of `keys` (an enum), to values of one shape. */
export const partialRecord = <const K extends readonly string[], T>(keys: K, value: Shape<T>): Shape<Partial<Record<K[number], T>>> =>
  entries(value, keys) as Shape<Partial<Record<K[number], T>>>;

/** The first option that takes the value; when none does, the issue of an option of the value's kind, if any. */
export function union<const S extends readonly Shape<unknown>[]>(options: S): Shape<Infer<S[number]>> {
  const expected = options.map((o) => o.expected).join(' or ');
  return {
    expected,
    parse: (input) => {
      let nearest: Issue | undefined;
      for (const option of options) {
        const value = option.parse(input);
        if (!(value instanceof Issue)) return value as Infer<S[number]>;
        if (!value.wrongType) nearest ??= value;
      }
      return nearest ?? mismatch(expected, input, true);
    },
  };
}

type Tagged<K extends string> = Shape<unknown> & { readonly fields: { readonly [P in K]: LiteralShape<string> } };

/** Objects told apart by the literal under `key` (a message's "type"): the value is checked against that variant only. */
export function discriminatedUnion<K extends string, const V extends readonly Tagged<K>[]>(key: K, variants: V): Shape<Infer<V[number]>> {
  const byTag = new Map(variants.map((v) => [v.fields[key].value, v]));
  const tags = listOf([...byTag.keys()]);
  const expected = `an object whose "${key}" is ${tags}`;
  return {
    expected,
    parse: (input) => {
      if (!isObject(input)) return mismatch(expected, input, true);
      const tag = input[key];
      const variant = typeof tag === 'string' ? byTag.get(tag) : undefined;
      if (!variant) return mismatch(tags, tag).under(key);
      return variant.parse(input) as Infer<V[number]> | Issue;
    },
  };
}
