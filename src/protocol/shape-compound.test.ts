import { describe, expect, expectTypeOf, it } from 'vitest';
import { boolean, check, type Infer, integer, literal, optional, string, unknown, withDefault } from './shape.js';
import { array, discriminatedUnion, object, partialRecord, record, union } from './shape-compound.js';

const refused = (message: string, path: (string | number)[] = []) => ({ ok: false, issue: expect.objectContaining({ message, path }) });

describe('object', () => {
  const app = object({ name: string({ min: 1 }), port: optional(integer()), restart: withDefault(boolean(), true), data: unknown() });

  it('keeps the known keys, leaves optional ones absent and fills defaults', () => {
    expect(check(app, { name: 'web', data: null })).toEqual({ ok: true, value: { name: 'web', restart: true, data: null } });
    expect(check(app, { name: 'web', port: 80, restart: false, data: 1 })).toEqual({
      ok: true,
      value: { name: 'web', port: 80, restart: false, data: 1 },
    });
  });

  it('refuses a missing key, a bad value (with its path) and an unknown key (by name)', () => {
    expect(check(app, { data: 1 })).toEqual(refused('missing; expected a non-empty string', ['name']));
    expect(check(app, { name: 'web' })).toEqual(refused('missing; expected any value', ['data']));
    expect(check(app, { name: '', data: 1 })).toEqual(refused('expected a non-empty string, got ""', ['name']));
    expect(check(app, { name: 'web', data: 1, foo: 2 })).toEqual(refused('unknown key "foo"'));
    expect(check(app, JSON.parse('{"name":"web","data":1,"__proto__":{}}'))).toEqual(refused('unknown key "__proto__"'));
    expect(check(app, [])).toEqual(refused('expected an object, got an array of 0 items'));
  });

  it('leaves unknown keys out when told to strip them', () => {
    const loose = object({ a: integer() }, { unknownKeys: 'strip' });
    expect(check(loose, { a: 1, b: 2 })).toEqual({ ok: true, value: { a: 1 } });
  });

  it('infers optional keys as optional, and no fields as no keys', () => {
    expectTypeOf<Infer<typeof app>>().toEqualTypeOf<{ name: string; restart: boolean; data: unknown; port?: number | undefined }>();
    expectTypeOf<Infer<ReturnType<typeof object<{}>>>>().toEqualTypeOf<Record<string, never>>();
  });
});

describe('array and records', () => {
  it('checks the length first, then each item, naming its index', () => {
    const list = array(string({ min: 1 }), { min: 1, max: 2 });
    expect(check(list, [])).toEqual(refused('expected an array of 1 to 2 items, got an array of 0 items'));
    expect(check(list, ['', '', ''])).toEqual(refused('expected an array of 1 to 2 items, got an array of 3 items'));
    expect(check(list, ['a', ''])).toEqual(refused('expected a non-empty string, got ""', [1]));
    expect(check(array(integer(), { max: 5 }), 'x')).toEqual(refused('expected an array of at most 5 items, got "x"'));
  });

  it('record takes any keys; partialRecord only the listed ones', () => {
    expect(check(record(string()), { A: 'x' })).toEqual({ ok: true, value: { A: 'x' } });
    expect(check(record(string()), { A: 1 })).toEqual(refused('expected a string, got 1', ['A']));
    expect(check(record(string()), new Date())).toEqual(refused('expected an object, got an object'));
    const hooks = partialRecord(['start', 'stop'], string());
    expect(check(hooks, { stop: 'x' })).toEqual({ ok: true, value: { stop: 'x' } });
    expect(check(hooks, { crash: 'x' })).toEqual(refused('unknown key "crash"; expected "start" or "stop"'));
    expectTypeOf<Infer<typeof hooks>>().toEqualTypeOf<Partial<Record<'start' | 'stop', string>>>();
  });
});

describe('unions', () => {
  const hook = union([string({ min: 1 }), object({ url: string({ min: 1 }) })]);

  it('takes the first option that fits, else reports the option of the value’s kind', () => {
    expect(check(hook, 'echo')).toEqual({ ok: true, value: 'echo' });
    expect(check(hook, { url: 'x' })).toEqual({ ok: true, value: { url: 'x' } });
    expect(check(hook, { url: '' })).toEqual(refused('expected a non-empty string, got ""', ['url']));
    expect(check(hook, { url: 'x', method: 'PUT' })).toEqual(refused('unknown key "method"'));
    expect(check(hook, '')).toEqual(refused('expected a non-empty string, got ""'));
    expect(check(hook, 5)).toEqual(refused('expected a non-empty string or an object, got 5'));
    expectTypeOf<Infer<typeof hook>>().toEqualTypeOf<string | { url: string }>();
  });

  it('a discriminated union checks the variant its tag names, and names a bad tag', () => {
    const message = discriminatedUnion('type', [
      object({ type: literal('logs'), app: string() }),
      object({ type: literal('history'), id: integer() }),
    ]);
    expect(check(message, { type: 'history', id: 3 })).toEqual({ ok: true, value: { type: 'history', id: 3 } });
    expect(check(message, { type: 'history', id: 'x' })).toEqual(refused('expected a whole number, got "x"', ['id']));
    expect(check(message, { type: 'nope' })).toEqual(refused('expected "logs" or "history", got "nope"', ['type']));
    expect(check(message, 'logs')).toEqual(refused('expected an object whose "type" is "logs" or "history", got "logs"'));
    expectTypeOf<Infer<typeof message>>().toEqualTypeOf<{ type: 'logs'; app: string } | { type: 'history'; id: number }>();
  });
});
