import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { afterEach, describe, expect } from 'vitest';
import { requestSchemas } from '../src/daemon/control/request-schemas.js';
import { MAX_FRAME_BYTES } from '../src/protocol/messages.js';
import { check, type Shape } from '../src/protocol/shape.js';
import { fixture } from './harness/paths.js';
import { vmRssKb } from './harness/proc.js';
import { pick, rng as seeded, seedFrom } from './harness/random.js';
import { waitFor } from './harness/wait.js';
import { RawClient, tokenHeader, upgradeRequest } from './helpers/raw-socket.js';
import { it } from './helpers/sup-test.js';

// Failures reproduce with the seed printed at the start: SUP_FUZZ_SEED=<seed> npx vitest run test/protocol-fuzz.test.ts
const SEED = seedFrom('SUP_FUZZ_SEED');
const TEXT_FRAMES = 3000;
const BINARY_FRAMES = 300;
const BAD_UTF8_CONNECTIONS = 60;
const OVERSIZED_FRAMES = 4;
const WIRE_CONNECTIONS = 150;
const IDLE_CONNECTIONS = 300;
const FUZZ_CONNECTIONS = 8;
/** Frames sent on one connection before waiting for their replies. */
const BATCH = 20;
// Bounds that catch a daemon blocked for seconds, yet hold on a loaded machine; how fast it really is, the tests
// print (the benchmarks measure it).
const MAX_PING_MS = 5000;
/** How long a connection that breaks the protocol may stay open. */
const CLOSED_WITHIN_MS = 5000;
const MAX_RSS_GROWTH_MB = 60;

/** The harness's seeded generator (the same sequence for the same seed everywhere), with the shapes the fuzzer draws. */
class Rng {
  readonly next: () => number;
  constructor(seed: number) {
    this.next = seeded(seed);
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(xs: readonly T[]): T {
    return pick(this.next, xs);
  }
  bytes(n: number): Buffer {
    return Buffer.from(Array.from({ length: n }, () => this.int(256)));
  }
  /** A string of arbitrary code units (lone surrogates included; they travel as U+FFFD). */
  text(n: number): string {
    return String.fromCharCode(...Array.from({ length: n }, () => (this.int(4) === 0 ? this.int(0x10000) : 32 + this.int(95))));
  }
}

const TYPES = Object.keys(requestSchemas);
// Requests that change what runs: the fuzzer must never send one that is valid, or it would test `sup kill`.
const HARMLESS = new Set(['ping', 'list', 'describe', 'history', 'subscribe']);
const STRANGE_TYPES = [
  '__proto__',
  'constructor',
  'hasOwnProperty',
  'toString',
  'valueOf',
  '',
  ' ping',
  'PING',
  'ping\u0000',
  'kill ',
  'x'.repeat(10_000),
];
const HUGE_IDS = [
  '1e308',
  '-1e308',
  '1e400',
  '9007199254740993',
  '-9007199254740993',
  '123456789012345678901234567890',
  '-0',
  '0.5',
  '1E2',
  '4294967296',
];

function randomValue(rng: Rng, depth = 0): unknown {
  switch (rng.int(depth > 3 ? 6 : 9)) {
    case 0:
      return rng.pick([0, -1, 1.5, 2 ** 53, -(2 ** 63), 1e308, Number.MIN_VALUE, rng.int(1000)]);
    case 1:
      return rng.text(rng.int(40));
    case 2:
      return rng.pick([true, false, null]);
    case 3:
      return rng.pick(['all', 'web', '0', '-1', '../../etc/passwd', '$(reboot)', '`id`', 'SIGKILL', 'log', 'process']);
    case 4:
      return [];
    case 5:
      return {};
    case 6:
      return Array.from({ length: rng.int(5) }, () => randomValue(rng, depth + 1));
    default: {
      const keys = [
        'targets',
        'apps',
        'env',
        'force',
        'topics',
        'id',
        'signal',
        'name',
        'count',
        'message',
        'parallel',
        'action',
        '__proto__',
        rng.text(8),
      ];
      return Object.fromEntries(Array.from({ length: rng.int(4) }, () => [rng.pick(keys), randomValue(rng, depth + 1)]));
    }
  }
}

function nested(rng: Rng, depth: number): string {
  const [open, close] = rng.pick([
    ['[', ']'],
    ['{"a":', '}'],
    ['[{"x":', '}]'],
  ] as const);
  return open.repeat(depth) + rng.pick(['1', 'null', '"x"']) + close.repeat(depth);
}

/** One text frame of some kind of nonsense, and what kind it is (for the report). */
function textFrame(rng: Rng): [kind: string, text: string] {
  const id = rng.int(1_000_000);
  switch (rng.int(10)) {
    case 0:
      return ['random text', rng.text(rng.int(300))];
    case 1: {
      const whole = JSON.stringify({ id, type: rng.pick(TYPES), body: randomValue(rng) });
      return ['truncated JSON', whole.slice(0, rng.int(whole.length))];
    }
    case 2:
      return ['wrong envelope types', JSON.stringify({ id: randomValue(rng), type: randomValue(rng), body: randomValue(rng) })];
    case 3:
      return ['known type, wrong body', JSON.stringify({ id, type: rng.pick(TYPES), body: randomValue(rng) })];
    case 4:
      return ['unknown type', JSON.stringify({ id, type: rng.int(2) ? rng.pick(STRANGE_TYPES) : rng.text(12), body: {} })];
    case 5:
      return ['huge or odd id', `{"id":${rng.pick(HUGE_IDS)},"type":"ping"}`];
    case 6: {
      const depth = rng.pick([100, 1000, 10_000, 50_000]);
      const where = rng.int(3);
      if (where === 0) return ['deep nesting', nested(rng, depth)];
      if (where === 1) return ['deep nesting', `{"id":${id},"type":"ping","body":${nested(rng, depth)}}`];
      return ['deep nesting', `{"id":${id},"type":"send","body":{"targets":["nobody"],"message":${nested(rng, depth)}}}`];
    }
    case 7:
      return [
        'prototype keys',
        rng.pick([
          `{"id":${id},"type":"ping","body":{"__proto__":{"polluted":true}}}`,
          `{"id":${id},"type":"list","__proto__":{"type":"kill"}}`,
          `{"id":${id},"type":"describe","body":{"targets":["x"],"constructor":{"prototype":{"polluted":true}}}}`,
          `{"__proto__":{"id":${id},"type":"ping"}}`,
        ]),
      ];
    case 8:
      return [
        'extra or duplicate keys',
        `{"id":${id},"type":"ping","type":"${rng.pick(TYPES)}","body":${JSON.stringify(randomValue(rng))},"${rng.text(3)}":1}`,
      ];
    default:
      return [
        'plain JSON values',
        rng.pick(['null', 'true', '0', '""', '[]', '{}', '"kill"', '[1,2,3]', '{"id":1}', ' ', '\u0000', '\ufeff{}']),
      ];
  }
}

/** False for a frame that would pass as a valid request of a kind that changes something. */
function harmless(text: string): boolean {
  let frame: unknown;
  try {
    frame = JSON.parse(text);
  } catch {
    return true;
  }
  if (typeof frame !== 'object' || frame === null) return true;
  const { type, body = {} } = frame as { type?: unknown; body?: unknown };
  if (typeof type !== 'string' || !Object.hasOwn(requestSchemas, type) || HARMLESS.has(type)) return true;
  return !check(requestSchemas[type as keyof typeof requestSchemas] as Shape<unknown>, body).ok;
}

/** A client→server WebSocket frame, masked unless told otherwise; lengthOverride lies about the payload size. */
function wsFrame(
  opcode: number,
  payload: Buffer,
  options: { mask?: boolean; fin?: boolean; rsv?: number; lengthOverride?: bigint } = {},
): Buffer {
  const { mask = true, fin = true, rsv = 0 } = options;
  const length = options.lengthOverride ?? BigInt(payload.length);
  let header: Buffer;
  if (length < 126n) header = Buffer.from([0, Number(length)]);
  else if (length < 65536n) header = Buffer.from([0, 126, Number(length >> 8n), Number(length & 255n)]);
  else {
    header = Buffer.alloc(10);
    header[1] = 127;
    header.writeBigUInt64BE(length, 2);
  }
  header[0] = (fin ? 0x80 : 0) | (rsv << 4) | opcode;
  if (!mask) return Buffer.concat([header, payload]);
  header[1]! |= 0x80;
  const key = randomBytes(4);
  return Buffer.concat([header, key, Buffer.from(payload.map((b, i) => b ^ key[i % 4]!))]);
}

/** Wire-level kinds that break the WebSocket protocol: the daemon must drop those connections (the others stay open, waiting for more). */
const PROTOCOL_VIOLATIONS = new Set([
  'no HTTP at all',
  'length beyond the limit',
  'unmasked frame',
  'reserved bits or opcode',
  'bad control frame',
  'continuation without a start',
]);

/** Wire-level nonsense on a raw socket, with or without a proper upgrade first. */
function wireGarbage(rng: Rng, upgrade: string): [kind: string, bytes: Buffer] {
  const up = Buffer.from(upgrade);
  const ping = Buffer.from(JSON.stringify({ id: 1, type: 'ping' }));
  switch (rng.int(9)) {
    case 0:
      return ['no HTTP at all', rng.bytes(1 + rng.int(2048))];
    case 1:
      return ['truncated upgrade', up.subarray(0, rng.int(up.length))];
    case 2:
      return ['truncated frame', Buffer.concat([up, wsFrame(1, ping).subarray(0, 1 + rng.int(8))])];
    case 3:
      return [
        'frame shorter than its length',
        Buffer.concat([up, wsFrame(1, ping, { lengthOverride: BigInt(ping.length + 1 + rng.int(1000)) })]),
      ];
    case 4:
      return [
        'length beyond the limit',
        Buffer.concat([
          up,
          wsFrame(1, Buffer.alloc(0), { lengthOverride: rng.pick([BigInt(MAX_FRAME_BYTES + 1), 2n ** 62n, 2n ** 63n - 1n]) }),
        ]),
      ];
    case 5:
      return ['unmasked frame', Buffer.concat([up, wsFrame(1, ping, { mask: false })])];
    case 6:
      return ['reserved bits or opcode', Buffer.concat([up, wsFrame(rng.pick([3, 7, 11, 15, 1]), ping, { rsv: 1 + rng.int(7) })])];
    case 7:
      return [
        'bad control frame',
        Buffer.concat([
          up,
          rng.pick([
            wsFrame(9, Buffer.alloc(200)),
            wsFrame(8, Buffer.from([0x03, 0xe7])),
            wsFrame(8, Buffer.from([0x0b])),
            wsFrame(9, ping, { fin: false }),
          ]),
        ]),
      ];
    default:
      return ['continuation without a start', Buffer.concat([up, wsFrame(0, ping), wsFrame(1, ping, { fin: false }), wsFrame(2, ping)])];
  }
}

/** Writes the bytes, waits up to holdMs for the daemon to close the connection, then drops it. */
function blast(socketPath: string, bytes: Buffer, holdMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(socketPath);
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(false);
    }, holdMs);
    socket.on('error', () => undefined);
    // Read what comes back: a socket whose data nobody reads never sees the end of the connection.
    socket.resume();
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(true);
    });
    socket.on('connect', () => socket.write(bytes));
  });
}

const rssMb = (pid: number) => vmRssKb(pid) / 1024;

const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))]!;

/** A connection of the fuzzer that counts the replies it gets. */
class Counted {
  replies = 0;
  malformed: string[] = [];
  private constructor(readonly client: RawClient) {
    client.ws.on('message', (data) => {
      const frame = JSON.parse(data.toString()) as { kind: string; ok?: boolean; error?: { code?: unknown } };
      if (frame.kind !== 'reply') return;
      this.replies++;
      if (frame.ok === false && typeof frame.error?.code !== 'string') this.malformed.push(data.toString().slice(0, 200));
    });
  }
  static async open(socket: string): Promise<Counted> {
    const client = await RawClient.open(socket);
    await client.next();
    return new Counted(client);
  }
}

describe('protocol fuzz', () => {
  const clients: RawClient[] = [];
  let stopPinging = () => undefined as unknown;
  afterEach(() => {
    stopPinging();
    clients.splice(0).forEach((c) => c.close());
  });

  it('survives thousands of bad frames and hundreds of idle connections, answering ping fast with bounded memory', {
    timeout: 180_000,
  }, async ({ sup }) => {
    const rng = new Rng(SEED);
    console.log(`protocol fuzz: seed ${SEED} (replay with SUP_FUZZ_SEED=${SEED})`);
    const started = performance.now();
    await sup.ok(['start', fixture('forever.js'), '--name', 'web']);
    const [web] = await sup.waitForStatus('web', 'online');
    const daemon = sup.daemonPid()!;
    const rssBefore = rssMb(daemon);
    const upgrade = () => upgradeRequest([tokenHeader(sup.socket)]);

    // Pings on a connection of their own, all through the test, each timed.
    const pings: number[] = [];
    const slowest = new Map<string, number>();
    let phase = 'idle connections';
    let pinging = true;
    stopPinging = () => (pinging = false);
    const control = await sup.client();
    const pingErrors: string[] = [];
    const pinger = (async () => {
      while (pinging) {
        const t0 = performance.now();
        try {
          await control.request('ping', {});
        } catch (err) {
          pingErrors.push((err as Error).message);
          return;
        }
        const ms = performance.now() - t0;
        pings.push(ms);
        slowest.set(phase, Math.max(ms, slowest.get(phase) ?? 0));
        await new Promise((r) => setTimeout(r, 50));
      }
    })();

    // Hundreds of authenticated connections that say nothing.
    for (let i = 0; i < IDLE_CONNECTIONS; i += 50) {
      const batch = await Promise.all(Array.from({ length: Math.min(50, IDLE_CONNECTIONS - i) }, () => RawClient.open(sup.socket)));
      clients.push(...batch);
    }
    await Promise.all(clients.map((c) => c.next()));

    phase = 'text and binary frames';
    // Text and binary frames on a few connections, in batches, each answered by exactly one reply.
    const kinds = new Map<string, number>();
    const count = (kind: string) => kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
    const fuzzers = await Promise.all(Array.from({ length: FUZZ_CONNECTIONS }, () => Counted.open(sup.socket)));
    clients.push(...fuzzers.map((f) => f.client));
    const sent = new Map<Counted, number>(fuzzers.map((f) => [f, 0]));
    let textSent = 0;
    let binarySent = 0;
    while (textSent < TEXT_FRAMES || binarySent < BINARY_FRAMES) {
      await Promise.all(
        fuzzers.map(async (f) => {
          for (let i = 0; i < BATCH; i++) {
            if (binarySent < BINARY_FRAMES && rng.int(10) === 0) {
              f.client.ws.send(rng.int(2) ? rng.bytes(rng.int(1000)) : Buffer.from(JSON.stringify({ id: 1, type: 'ping' })), {
                binary: true,
              });
              count('binary frame');
              binarySent++;
            } else if (textSent < TEXT_FRAMES) {
              let [kind, text] = textFrame(rng);
              if (!harmless(text)) [kind, text] = ['unknown type', JSON.stringify({ id: 1, type: rng.text(6) })];
              f.client.ws.send(text);
              count(kind);
              textSent++;
            } else break;
            sent.set(f, sent.get(f)! + 1);
          }
          await waitFor(
            `replies to every frame (seed ${SEED})`,
            () => f.replies >= sent.get(f)!,
            10_000,
            () => ({ sent: sent.get(f), replies: f.replies }),
          );
        }),
      );
    }
    for (const f of fuzzers) {
      expect(f.replies, `one reply per frame (seed ${SEED})`).toBe(sent.get(f));
      expect(f.malformed, `error replies without a code (seed ${SEED})`).toEqual([]);
    }

    phase = 'invalid UTF-8 and oversized frames';
    // Frames that end their connection: text that is not UTF-8, and frames over MAX_FRAME_BYTES.
    const closes: number[] = [];
    for (let i = 0; i < BAD_UTF8_CONNECTIONS; i += 20) {
      await Promise.all(
        Array.from({ length: Math.min(20, BAD_UTF8_CONNECTIONS - i) }, async () => {
          const c = await RawClient.open(sup.socket);
          const bad = Buffer.concat([
            Buffer.from('{"id":1,"type":"'),
            rng.pick([
              Buffer.from([0xff]),
              Buffer.from([0xc3, 0x28]),
              Buffer.from([0xed, 0xa0, 0x80]),
              Buffer.from([0xf8, 0x88, 0x80, 0x80, 0x80]),
            ]),
            Buffer.from('"}'),
          ]);
          c.ws.send(bad, { binary: false });
          count('invalid UTF-8 text');
          closes.push((await c.closed).code);
        }),
      );
    }
    for (let i = 0; i < OVERSIZED_FRAMES; i++) {
      const c = await RawClient.open(sup.socket);
      c.ws.send(Buffer.alloc(MAX_FRAME_BYTES + 1 + rng.int(65536), 0x61), { binary: rng.int(2) === 1 });
      count('oversized frame');
      closes.push((await c.closed).code);
    }
    expect(
      closes.every((code) => code > 1000),
      `close codes ${[...new Set(closes)].join(', ')}`,
    ).toBe(true);

    // Wire-level nonsense: no HTTP, cut-off upgrades and frames, lying lengths, unmasked and reserved frames.
    phase = 'wire-level garbage';
    // All at once: those cut short are held open by the daemon until the test drops them.
    const wire = Array.from({ length: WIRE_CONNECTIONS }, () => wireGarbage(rng, upgrade()));
    wire.forEach(([kind]) => count(`wire: ${kind}`));
    const closed = await Promise.all(wire.map(([, bytes]) => blast(sup.socket, bytes, CLOSED_WITHIN_MS)));
    const wireClosed = new Map<string, number>();
    wire.forEach(([kind], j) => closed[j] && wireClosed.set(kind, (wireClosed.get(kind) ?? 0) + 1));
    const violations = wire.filter(([kind], j) => PROTOCOL_VIOLATIONS.has(kind) && !closed[j]).map(([kind]) => kind);

    pinging = false;
    await pinger;
    expect(pingErrors, `pings that failed (seed ${SEED})`).toEqual([]);
    const rssAfter = rssMb(daemon);

    // Every idle connection is still there and still answers.
    expect(clients.slice(0, IDLE_CONNECTIONS).filter((c) => c.ws.readyState !== c.ws.OPEN).length).toBe(0);
    expect(await clients[0]!.exchange(JSON.stringify({ id: 7, type: 'ping' }))).toMatchObject({ kind: 'reply', id: 7, ok: true });
    clients.splice(0).forEach((c) => c.close());
    const cliPing = performance.now();
    expect(await sup.ok(['ping'])).toMatch(new RegExp(`^pong: daemon pid ${daemon},`));
    const cliPingMs = performance.now() - cliPing;
    expect(sup.daemonPid()).toBe(daemon);
    expect(await sup.list()).toEqual([expect.objectContaining({ name: 'web', pid: web!.pid, status: 'online', restarts: 0 })]);
    const rssClosed = rssMb(daemon);
    const daemonLog = readFileSync(join(sup.home, 'daemon.log'), 'utf8');
    expect(daemonLog).not.toMatch(/uncaught exception|unhandled rejection/);

    const frames = [...kinds.values()].reduce((a, b) => a + b, 0);
    console.log(
      [
        `protocol fuzz (seed ${SEED}): ${frames} bad inputs in ${((performance.now() - started) / 1000).toFixed(1)} s, ${IDLE_CONNECTIONS} idle connections held`,
        ...[...kinds].sort((a, b) => b[1] - a[1]).map(([kind, n]) => `  ${String(n).padStart(5)}  ${kind}`),
        `  wire-level connections the daemon closed: ${[...wireClosed].map(([k, n]) => `${k} ${n}`).join(', ')}`,
        `ping over ${pings.length} requests: median ${percentile(pings, 50).toFixed(1)} ms, p99 ${percentile(pings, 99).toFixed(1)} ms, max ${Math.max(...pings).toFixed(1)} ms (slowest by phase: ${[...slowest].map(([p, ms]) => `${p} ${ms.toFixed(0)} ms`).join(', ')}); sup ping (CLI) afterwards ${cliPingMs.toFixed(0)} ms`,
        `daemon RSS: ${rssBefore.toFixed(1)} MB before, ${rssAfter.toFixed(1)} MB after (growth ${(rssAfter - rssBefore).toFixed(1)} MB, bound ${MAX_RSS_GROWTH_MB} MB), ${rssClosed.toFixed(1)} MB once every connection was closed`,
      ].join('\n'),
    );
    expect(violations, `protocol violations the daemon did not end within ${CLOSED_WITHIN_MS} ms (seed ${SEED})`).toEqual([]);
    expect(Math.max(...pings), `slowest ping (seed ${SEED})`).toBeLessThan(MAX_PING_MS);
    expect(rssAfter - rssBefore, `RSS growth in MB (seed ${SEED})`).toBeLessThan(MAX_RSS_GROWTH_MB);
  });

  // JSON.parse runs on the daemon's only thread; nesting is what makes it slow (a flat 4 MB frame parses in ms).
  it('keeps answering ping while a frame nested as deep as the size limit allows is parsed', async ({ sup }) => {
    await sup.ok(['ping']);
    const [fuzzer, pinger] = [await RawClient.open(sup.socket), await RawClient.open(sup.socket)];
    clients.push(fuzzer, pinger);
    await Promise.all([fuzzer.next(), pinger.next()]);
    const depth = MAX_FRAME_BYTES / 2 - 1;
    const t0 = performance.now();
    fuzzer.ws.send('['.repeat(depth) + ']'.repeat(depth));
    // Sent once the daemon has the whole frame (the pipe takes a few ms for 4 MB).
    await new Promise((r) => fuzzer.ws.send('', r));
    const p0 = performance.now();
    expect(await pinger.exchange(JSON.stringify({ id: 2, type: 'ping' }))).toMatchObject({ id: 2, ok: true });
    const pingMs = performance.now() - p0;
    expect(await fuzzer.next(10_000)).toMatchObject({ kind: 'reply', id: null, ok: false, error: { code: 'BAD_REQUEST' } });
    console.log(
      `a ${MAX_FRAME_BYTES >> 20} MiB frame nested ${depth} deep: answered after ${(performance.now() - t0).toFixed(0)} ms; a ping sent meanwhile took ${pingMs.toFixed(0)} ms`,
    );
    expect(pingMs, 'ping while the deep frame is parsed (ms)').toBeLessThan(MAX_PING_MS);
  });
});
