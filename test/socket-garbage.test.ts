import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect } from 'vitest';
import { MAX_FRAME_BYTES, type ServerFrame } from '../src/protocol/messages.js';
import { fixture } from './harness/paths.js';
import type { SupHome } from './harness/sup-home.js';
import { RawClient, rawExchange, tokenHeader, upgradeRequest } from './helpers/raw-socket.js';
import { it } from './helpers/sup-test.js';

function expectErrorReply(frame: ServerFrame, id: number | null, code: string): void {
  expect(frame).toMatchObject({ kind: 'reply', id, ok: false, error: { code } });
  if (frame.kind === 'reply' && !frame.ok) {
    expect(typeof frame.error.message).toBe('string');
    expect(frame.error.message.length).toBeGreaterThan(0);
  }
}

/** A WebSocket handshake for a raw connection, with the token. */
const handshake = (sup: SupHome) => upgradeRequest([tokenHeader(sup.socket)]);

describe('control socket robustness', () => {
  const clients: RawClient[] = [];
  afterEach(() => {
    clients.splice(0).forEach((c) => c.close());
  });

  async function open(sup: SupHome): Promise<RawClient> {
    const client = await RawClient.open(sup.socket);
    clients.push(client);
    expect(await client.next()).toMatchObject({ kind: 'hello', pid: sup.daemonPid() });
    return client;
  }

  it('keeps answering after garbage bytes, bad HTTP and bad frames, and after every kind of bad request', async ({ sup }) => {
    await sup.ok(['start', fixture('forever.js'), '--name', 'web']);
    const [web] = await sup.waitForStatus('web', 'online');
    const daemon = sup.daemonPid()!;
    expect(daemon).toBeGreaterThan(0);

    // Not HTTP at all: that connection is dropped.
    const garbage = randomBytes(4096);
    garbage[0] = 0;
    expect((await rawExchange(sup.socket, garbage)).closed).toBe(true);
    // HTTP with a broken header line: dropped.
    expect((await rawExchange(sup.socket, 'GET / HTTP/1.1\r\nHost: sup\r\nthis is not a header\r\n\r\n')).closed).toBe(true);
    // Plain HTTP: told to speak WebSocket.
    expect((await rawExchange(sup.socket, 'GET / HTTP/1.1\r\nHost: sup\r\nConnection: close\r\n\r\n')).data).toMatch(/^HTTP\/1\.1 426/);
    // A WebSocket upgrade with a bad key: refused.
    const badKey = handshake(sup).replace(/Sec-WebSocket-Key: .*/, 'Sec-WebSocket-Key: nope');
    expect((await rawExchange(sup.socket, badKey)).data).toMatch(/^HTTP\/1\.1 400/);
    // A good upgrade followed by bytes that are no WebSocket frame (reserved bits set): accepted, then dropped.
    const badFrame = await rawExchange(sup.socket, Buffer.concat([Buffer.from(handshake(sup)), Buffer.alloc(64, 0xff)]));
    expect(badFrame.data).toMatch(/^HTTP\/1\.1 101/);
    expect(badFrame.closed).toBe(true);

    // Bad requests on one WebSocket: each gets an error reply, and the connection stays usable.
    const client = await open(sup);
    for (const text of [
      'not json',
      '{"id":1,',
      '42',
      'null',
      '"ping"',
      '[{"id":1,"type":"ping"}]',
      '{"type":"ping"}',
      '{"id":"1","type":"ping"}',
      '{"id":1.5,"type":"ping"}',
      '{"id":1e300,"type":"ping"}',
    ]) {
      expectErrorReply(await client.exchange(text), null, 'BAD_REQUEST');
    }
    const deep = 200_000;
    expectErrorReply(await client.exchange('['.repeat(deep) + ']'.repeat(deep)), null, 'BAD_REQUEST');

    const withId: [Record<string, unknown>, string][] = [
      [{ id: 11, type: 'nope' }, 'UNKNOWN_REQUEST'],
      [{ id: 12, type: '__proto__' }, 'UNKNOWN_REQUEST'],
      [{ id: 13, type: 'toString' }, 'UNKNOWN_REQUEST'],
      [{ id: 14 }, 'UNKNOWN_REQUEST'],
      [{ id: 15, type: 'stop', body: { targets: 'web' } }, 'BAD_REQUEST'],
      [{ id: 16, type: 'stop', body: { targets: [] } }, 'BAD_REQUEST'],
      [{ id: 17, type: 'stop', body: { targets: [0] } }, 'BAD_REQUEST'],
      [{ id: 18, type: 'ping', extra: true }, 'BAD_REQUEST'],
      [{ id: 26, type: 'ping', body: { extra: true } }, 'BAD_REQUEST'],
      [{ id: 27, type: 'ping', body: 'x' }, 'BAD_REQUEST'],
      [{ id: 19, type: 'start', body: { apps: [{ name: 'x' }], env: {}, force: false } }, 'BAD_REQUEST'],
      [{ id: 20, type: 'start', body: { apps: 'x', env: {}, force: 'yes' } }, 'BAD_REQUEST'],
      [{ id: 21, type: 'subscribe', body: { topics: ['everything'] } }, 'BAD_REQUEST'],
      [{ id: 22, type: 'restart', body: { targets: ['nope'] } }, 'NOT_FOUND'],
    ];
    for (const [request, code] of withId) expectErrorReply(await client.exchange(JSON.stringify(request)), request.id as number, code);

    // A well-formed start whose script is missing is refused by the daemon itself, and nothing is added.
    const [described] = (await (await sup.client()).request('describe', { targets: ['web'] })).processes;
    const ghost = { ...described!.config, name: 'ghost', script: `${sup.home}/missing.js` };
    expectErrorReply(
      await client.exchange(JSON.stringify({ id: 23, type: 'start', body: { apps: [ghost], env: {}, existing: 'restart' } })),
      23,
      'SCRIPT_NOT_FOUND',
    );

    // A binary frame is not a request.
    client.ws.send(Buffer.from(JSON.stringify({ id: 24, type: 'ping' })), { binary: true });
    expectErrorReply(await client.next(), null, 'BAD_REQUEST');

    // After all that, the same connection still works.
    expect(await client.exchange(JSON.stringify({ id: 25, type: 'ping' }))).toMatchObject({
      kind: 'reply',
      id: 25,
      ok: true,
      result: { pid: daemon },
    });

    // Text that is not UTF-8, and a frame over the size limit: that connection is closed, nothing else.
    const notUtf8 = await open(sup);
    notUtf8.ws.send(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), { binary: false });
    expect((await notUtf8.closed).code).toBeGreaterThan(1000);
    const oversized = await open(sup);
    oversized.ws.send('x'.repeat(MAX_FRAME_BYTES + 1));
    // 1009 (message too big) when the close frame makes it out before the daemon drops the socket; 1006 otherwise.
    expect([1006, 1009]).toContain((await oversized.closed).code);

    // The daemon is the same one, still answers, and still runs the app.
    expect(await sup.ok(['ping'])).toMatch(new RegExp(`^pong: daemon pid ${daemon},`));
    expect(sup.daemonPid()).toBe(daemon);
    expect(await sup.list()).toEqual([expect.objectContaining({ name: 'web', pid: web!.pid, status: 'online' })]);
  });
});
