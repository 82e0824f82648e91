import { describe, expect, it } from 'vitest';
import { decodeFrames, encodeFrame, OPCODE } from './ws-frames.js';

/** A server frame (unmasked), as the daemon's `ws` server sends it. */
function serverFrame(opcode: number, payload: Buffer, fin = true): Buffer {
  const n = payload.length;
  const head = n < 126 ? Buffer.from([0, n]) : n < 0x10000 ? Buffer.alloc(4) : Buffer.alloc(10);
  if (n >= 126 && n < 0x10000) {
    head[1] = 126;
    head.writeUInt16BE(n, 2);
  } else if (n >= 0x10000) {
    head[1] = 127;
    head.writeBigUInt64BE(BigInt(n), 2);
  }
  head[0] = (fin ? 0x80 : 0) | opcode;
  return Buffer.concat([head, payload]);
}

describe('WebSocket frames', () => {
  it('masks a client frame and encodes the three length forms', () => {
    const mask = Buffer.from([1, 2, 3, 4]);
    for (const size of [5, 125, 126, 70_000]) {
      const payload = Buffer.alloc(size, 'a');
      const frame = encodeFrame(OPCODE.text, payload, mask);
      const head = size < 126 ? 2 : size < 0x10000 ? 4 : 10;
      expect(frame[0]).toBe(0x81);
      expect((frame[1] as number) & 0x80).toBe(0x80);
      expect(frame.length).toBe(head + 4 + size);
      const body = frame.subarray(head + 4);
      const unmasked = Buffer.from(body.map((b, i) => b ^ (mask[i & 3] as number)));
      expect(unmasked.equals(payload)).toBe(true);
    }
  });

  it('decodes whole frames and keeps a frame still arriving for the next chunk', () => {
    const big = Buffer.alloc(70_000, 'x');
    const stream = Buffer.concat([
      serverFrame(OPCODE.text, Buffer.from('{"a":1}')),
      serverFrame(OPCODE.text, big),
      serverFrame(OPCODE.ping, Buffer.from('p')),
    ]);
    const first = decodeFrames(stream.subarray(0, 5000), 1 << 20);
    expect(first.frames.map((f) => f.payload.toString())).toEqual(['{"a":1}']);
    const second = decodeFrames(Buffer.concat([first.rest, stream.subarray(5000)]), 1 << 20);
    expect(second.frames.map((f) => [f.opcode, f.payload.length])).toEqual([
      [OPCODE.text, 70_000],
      [OPCODE.ping, 1],
    ]);
    expect(second.rest.length).toBe(0);
  });

  it('reports fragments with their FIN bit for the caller to join', () => {
    const stream = Buffer.concat([serverFrame(OPCODE.text, Buffer.from('ab'), false), serverFrame(OPCODE.continuation, Buffer.from('cd'))]);
    expect(decodeFrames(stream, 100).frames.map((f) => [f.fin, f.payload.toString()])).toEqual([
      [false, 'ab'],
      [true, 'cd'],
    ]);
  });

  it('refuses a message over the limit, a masked server frame and reserved bits', () => {
    expect(decodeFrames(serverFrame(OPCODE.text, Buffer.alloc(200)), 100).error?.reason).toMatch(/over 100 bytes/);
    expect(decodeFrames(Buffer.from([0x81, 0x81, 0, 0, 0, 0, 0x61]), 100).error?.reason).toMatch(/masked/);
    expect(decodeFrames(Buffer.from([0xc1, 0x01, 0x61]), 100).error?.reason).toMatch(/reserved/);
  });

  it('decodes a client frame on the server side: masked, unmasked once read', () => {
    const mask = Buffer.from([9, 8, 7, 6]);
    const stream = Buffer.concat([
      encodeFrame(OPCODE.text, Buffer.from('{"id":1}'), mask),
      encodeFrame(OPCODE.ping, Buffer.from('p'), mask),
    ]);
    const { frames, rest, error } = decodeFrames(stream, 100, 'client');
    expect(error).toBeUndefined();
    expect(frames.map((f) => [f.opcode, f.payload.toString()])).toEqual([
      [OPCODE.text, '{"id":1}'],
      [OPCODE.ping, 'p'],
    ]);
    expect(rest.length).toBe(0);
    // A frame cut inside its mask waits for the rest.
    expect(decodeFrames(stream.subarray(0, 4), 100, 'client').frames).toEqual([]);
  });

  it('encodes a server frame unmasked', () => {
    expect([...encodeFrame(OPCODE.text, Buffer.from('hi'))]).toEqual([0x81, 2, 0x68, 0x69]);
  });

  it('refuses an unmasked client frame, a reserved opcode and a fragmented or oversized control frame', () => {
    expect(decodeFrames(serverFrame(OPCODE.text, Buffer.from('a')), 100, 'client').error?.reason).toMatch(/unmasked/);
    expect(decodeFrames(Buffer.from([0x83, 0x00]), 100).error?.reason).toMatch(/reserved opcode 3/);
    expect(decodeFrames(serverFrame(OPCODE.ping, Buffer.from('p'), false), 100).error?.reason).toMatch(/control frame/);
    expect(decodeFrames(serverFrame(OPCODE.close, Buffer.alloc(126)), 1000).error?.reason).toMatch(/control frame/);
  });
});
