import { describe, expect, it } from 'vitest';
import { encodeMessage, encodeOutput, FrameReader } from './keeper-wire.js';

describe('keeper frames', () => {
  it('round-trip messages and raw output, whatever the chunking', () => {
    const bytes = Buffer.concat([
      encodeMessage({ type: 'spawned', key: 7, pid: 123 }),
      encodeOutput(7, 'out', Buffer.from('hello\nwörld\n')),
      encodeOutput(8, 'err', Buffer.from([0, 255, 10])),
      encodeMessage({ type: 'exit', key: 7, code: 0, signal: null }),
    ]);
    for (const size of [1, 2, 3, 5, 7, 64, bytes.length]) {
      const reader = new FrameReader<unknown>();
      const frames = [];
      for (let at = 0; at < bytes.length; at += size) frames.push(...reader.push(bytes.subarray(at, at + size)));
      expect(frames).toEqual([
        { kind: 'message', message: { type: 'spawned', key: 7, pid: 123 } },
        { kind: 'output', key: 7, stream: 'out', data: Buffer.from('hello\nwörld\n') },
        { kind: 'output', key: 8, stream: 'err', data: Buffer.from([0, 255, 10]) },
        { kind: 'message', message: { type: 'exit', key: 7, code: 0, signal: null } },
      ]);
    }
  });

  it('refuses frames no peer of sup sends: zero length, oversized, unknown kind', () => {
    expect(() => new FrameReader().push(Buffer.from([0, 0, 0, 0]))).toThrow(/0 bytes/);
    expect(() => new FrameReader().push(Buffer.from([0xff, 0, 0, 0, 0]))).toThrow(/bytes/);
    expect(() => new FrameReader().push(Buffer.from([0, 0, 0, 1, 9]))).toThrow(/unknown kind 9/);
  });

  it('keeps output it hands out apart from the chunk it came in', () => {
    const reader = new FrameReader<unknown>();
    const chunk = encodeOutput(1, 'out', Buffer.from('abc'));
    const [frame] = reader.push(chunk);
    chunk.fill(0);
    expect(frame).toMatchObject({ data: Buffer.from('abc') });
  });
});
