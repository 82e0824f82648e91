import { describe, expect, it } from 'vitest';
import { SupError } from '../../errors.js';
import type { ServerFrame } from '../../protocol/messages.js';
import { MAX_DEPTH, dispatch, nestsDeeperThan, parseFrame } from './dispatch.js';
import type { HandlerContext } from './handlers.js';
import type { AppsContext } from '../apps/context.js';
import type { DaemonPhase } from '../lifecycle.js';

describe('parseFrame', () => {
  it.each([['not json'], ['{"id":1'], [''], ['undefined']])('refuses non-JSON %j with BAD_REQUEST and no id', (text) => {
    const parsed = parseFrame(text);
    expect(parsed).toMatchObject({ ok: false, id: null });
    expect(!parsed.ok && parsed.error.code).toBe('BAD_REQUEST');
    expect(!parsed.ok && parsed.error.message).toBe('a request must be a JSON object');
  });

  it.each([['[1,2]'], ['[]'], ['null'], ['42'], ['"ping"'], ['true']])('refuses the JSON value %s, which is not an object', (text) => {
    const parsed = parseFrame(text);
    expect(parsed).toMatchObject({ ok: false, id: null });
    expect(!parsed.ok && parsed.error.message).toBe('a request must be a JSON object');
  });

  it.each([
    ['a missing id', '{"type":"ping"}'],
    ['a string id', '{"id":"1","type":"ping"}'],
    ['a fractional id', '{"id":1.5,"type":"ping"}'],
    ['a null id', '{"id":null,"type":"ping"}'],
    ['an unsafe id', '{"id":9007199254740993,"type":"ping"}'],
  ])('refuses %s with BAD_REQUEST', (_what, text) => {
    const parsed = parseFrame(text);
    expect(parsed).toMatchObject({ ok: false, id: null });
    expect(!parsed.ok && parsed.error.code).toBe('BAD_REQUEST');
    expect(!parsed.ok && parsed.error.message).toBe('a request needs an integer "id"');
  });

  it.each([
    ['an unknown type', '{"id":7,"type":"explode"}', 'unknown request type "explode"'],
    ['a missing type', '{"id":7}', 'unknown request type undefined'],
    ['a numeric type', '{"id":7,"type":3}', 'unknown request type 3'],
    ['an inherited property name', '{"id":7,"type":"toString"}', 'unknown request type "toString"'],
    ['__proto__', '{"id":7,"type":"__proto__"}', 'unknown request type "__proto__"'],
  ])('refuses %s with UNKNOWN_REQUEST, keeping the id', (_what, text, message) => {
    const parsed = parseFrame(text);
    expect(parsed).toMatchObject({ ok: false, id: 7 });
    expect(!parsed.ok && parsed.error).toBeInstanceOf(SupError);
    expect(!parsed.ok && parsed.error.code).toBe('UNKNOWN_REQUEST');
    expect(!parsed.ok && parsed.error.message).toBe(message);
  });

  it('accepts a valid frame and separates the body from id and type', () => {
    expect(parseFrame('{"id":3,"type":"stop","body":{"targets":["web"]}}')).toEqual({
      ok: true,
      id: 3,
      type: 'stop',
      body: { targets: ['web'] },
    });
  });

  it('keeps a body field named like the envelope apart from it (history has an "id")', () => {
    expect(parseFrame('{"id":7,"type":"history","body":{"id":0}}')).toEqual({ ok: true, id: 7, type: 'history', body: { id: 0 } });
  });

  it('accepts id 0 and negative ids', () => {
    expect(parseFrame('{"id":0,"type":"ping"}')).toEqual({ ok: true, id: 0, type: 'ping', body: {} });
    expect(parseFrame('{"id":-1,"type":"ping"}')).toMatchObject({ ok: true, id: -1 });
  });
});

interface FakeOptions {
  phase?: DaemonPhase;
  /** The registry's methods, so that a handler's work can be watched or made to fail. */
  registry?: Record<string, unknown>;
  /** A whole registry object instead (a Proxy whose every method throws). */
  registryObject?: object;
}

function fakeContext(options: FakeOptions = {}): HandlerContext & { subscribed: unknown[] } {
  const subscribed: unknown[] = [];
  return {
    subscribed,
    apps: {
      registry: options.registryObject ?? { all: () => [], list: () => [], select: () => [], ...options.registry },
      accepting: () => true,
    } as unknown as AppsContext,
    subscribe: (topics) => subscribed.push(topics),
    daemon: {
      phase: options.phase ?? 'running',
      startedAt: Date.now() - 5000,
      started: Promise.resolve(),
      need: () => undefined,
      keeper: null,
      stopApps: async () => 0,
      save: async () => ({ file: 'dump.json', apps: 0, instances: 0 }),
      resurrect: async () => ({ processes: [], skipped: [], warning: null }),
      exitSoon: () => {},
    },
  };
}

function expectError(frame: ServerFrame) {
  if (frame.kind !== 'reply' || frame.ok) throw new Error(`expected an error reply, got ${JSON.stringify(frame)}`);
  return frame;
}

describe('nestsDeeperThan', () => {
  it('counts brackets outside strings only', () => {
    expect(nestsDeeperThan('[[[1]]]', 3)).toBe(false);
    expect(nestsDeeperThan('[[[[1]]]]', 3)).toBe(true);
    expect(nestsDeeperThan('{"a":{"b":[1]}}', 3)).toBe(false);
    expect(nestsDeeperThan('["[[[[[[", "\\"", "{{{{"]', 1)).toBe(false);
    expect(nestsDeeperThan('[1],[2],[3],[4]', 1)).toBe(false);
  });

  it('refuses a deep frame before parsing it', () => {
    expect(parseFrame(`{"id":1,"type":"ping","body":${'['.repeat(MAX_DEPTH)}${']'.repeat(MAX_DEPTH)}}`)).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST', message: `a request may nest at most ${MAX_DEPTH} levels deep` },
    });
  });
});

describe('dispatch', () => {
  it('answers a valid request with its handler result', async () => {
    expect(await dispatch('{"id":1,"type":"list"}', fakeContext())).toEqual({ kind: 'reply', id: 1, ok: true, result: { processes: [] } });
  });

  it('answers ping with the pid, the version and the uptime', async () => {
    const frame = await dispatch('{"id":2,"type":"ping"}', fakeContext());
    expect(frame).toMatchObject({ kind: 'reply', id: 2, ok: true, result: { pid: process.pid, version: expect.any(String) } });
    expect(frame.kind === 'reply' && frame.ok && (frame.result as { uptime: number }).uptime).toBeGreaterThanOrEqual(5000);
  });

  it('passes the checked body to the handler', async () => {
    const ctx = fakeContext();
    await dispatch('{"id":1,"type":"subscribe","body":{"topics":["log"]}}', ctx);
    expect(ctx.subscribed).toEqual([['log']]);
  });

  it('replies BAD_REQUEST with no id to a frame that is not JSON', async () => {
    const frame = expectError(await dispatch('{oops', fakeContext()));
    expect(frame.id).toBeNull();
    expect(frame.error.code).toBe('BAD_REQUEST');
  });

  it('replies UNKNOWN_REQUEST with the id to an unknown type', async () => {
    const frame = expectError(await dispatch('{"id":9,"type":"explode"}', fakeContext()));
    expect(frame).toMatchObject({ id: 9, error: { code: 'UNKNOWN_REQUEST', message: 'unknown request type "explode"' } });
  });

  it.each([
    ['a string where an array belongs', '{"id":4,"type":"stop","body":{"targets":"web"}}', 'invalid "stop" request at targets: '],
    ['an empty target', '{"id":4,"type":"stop","body":{"targets":[""]}}', 'invalid "stop" request at targets.0: '],
    ['a missing field', '{"id":4,"type":"describe"}', 'invalid "describe" request at targets: '],
    ['an unknown topic', '{"id":4,"type":"subscribe","body":{"topics":["nope"]}}', 'invalid "subscribe" request at topics.0: '],
  ])('replies BAD_REQUEST naming the path for %s', async (_what, text, message) => {
    const frame = expectError(await dispatch(text, fakeContext()));
    expect(frame.id).toBe(4);
    expect(frame.error.code).toBe('BAD_REQUEST');
    expect(frame.error.message.startsWith(message)).toBe(true);
  });

  it('replies BAD_REQUEST to an unexpected key', async () => {
    const frame = expectError(await dispatch('{"id":4,"type":"ping","body":{"extra":1}}', fakeContext()));
    expect(frame.error.code).toBe('BAD_REQUEST');
    expect(frame.error.message).toMatch(/^invalid "ping" request/);
    const outside = expectError(await dispatch('{"id":4,"type":"ping","extra":1}', fakeContext()));
    expect(outside.error.message).toBe('a request has only "id", "type" and "body"; got "extra"');
  });

  it('does not call the handler for a bad body', async () => {
    let called = false;
    const ctx = fakeContext({ registry: { select: () => ((called = true), []) } });
    await dispatch('{"id":4,"type":"stop","body":{"targets":[]}}', ctx);
    expect(called).toBe(false);
  });

  it('turns a plain Error thrown by a handler into INTERNAL', async () => {
    const ctx = fakeContext({
      registry: {
        all: () => {
          throw new Error('boom');
        },
      },
    });
    const frame = expectError(await dispatch('{"id":5,"type":"list"}', ctx));
    expect(frame).toMatchObject({ id: 5, error: { code: 'INTERNAL', message: 'internal error: boom' } });
  });

  it('turns a rejected promise into an error reply', async () => {
    const ctx = fakeContext({
      registry: {
        select: () => [
          {
            app: { config: { name: 'web', depends_on: {} }, instances: [], triggers: { stop: async () => undefined } },
            instance: { stop: () => Promise.reject(new Error('late boom')) },
          },
        ],
      },
    });
    const frame = expectError(await dispatch('{"id":6,"type":"stop","body":{"targets":["web"]}}', ctx));
    expect(frame.error).toEqual({ code: 'INTERNAL', message: 'internal error: late boom' });
  });

  it('turns a thrown non-Error into INTERNAL', async () => {
    const ctx = fakeContext({
      registry: {
        all: () => {
          throw 'a string';
        },
      },
    });
    expect(expectError(await dispatch('{"id":5,"type":"list"}', ctx)).error).toEqual({
      code: 'INTERNAL',
      message: 'internal error: a string',
    });
  });

  it("keeps a SupError's code and message", async () => {
    const ctx = fakeContext({
      registry: {
        select: () => {
          throw new SupError('NOT_FOUND', 'no app "x"');
        },
      },
    });
    expect(expectError(await dispatch('{"id":5,"type":"describe","body":{"targets":["x"]}}', ctx)).error).toEqual({
      code: 'NOT_FOUND',
      message: 'no app "x"',
    });
  });

  it('refuses a change while shutting down, but still answers reads', async () => {
    let stopped = false;
    const ctx = fakeContext({ phase: 'stopping', registry: { select: () => ((stopped = true), []) } });
    const frame = expectError(await dispatch('{"id":1,"type":"stop","body":{"targets":["web"]}}', ctx));
    expect(frame.error.code).toBe('SHUTTING_DOWN');
    expect(stopped).toBe(false);
    expect(await dispatch('{"id":2,"type":"list"}', ctx)).toMatchObject({ ok: true });
  });

  it('never throws, whatever it is sent', async () => {
    const inputs = [
      '',
      ' ',
      'null',
      '[]',
      '{}',
      '{"id":1}',
      '{"id":1,"type":null}',
      '{"id":1,"type":"start"}',
      '{"id":1,"type":"start","body":{"apps":[{}],"env":{},"force":false}}',
      '{"id":1,"type":"start","body":{"apps":"x","env":{},"force":false}}',
      '{"id":1,"type":"stop","body":{"targets":[1,2]}}',
      '{"id":1,"type":"kill","x":{"__proto__":{"polluted":true}}}',
      '{"id":1,"type":"ping","__proto__":{"polluted":true}}',
      '{"id":1,"type":"constructor"}',
      '{"id":1,"type":"hasOwnProperty"}',
      '\u0000\uffff',
      '{"id":1,"type":"describe","body":{"targets":["' + 'x'.repeat(300) + '"]}}',
    ];
    for (const text of inputs) {
      const frame = await dispatch(
        text,
        fakeContext({
          registryObject: new Proxy(
            {},
            {
              get: () => () => {
                throw new Error('unexpected');
              },
            },
          ),
        }),
      );
      expect(frame.kind).toBe('reply');
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
