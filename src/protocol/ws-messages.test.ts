import { describe, expect, it } from 'vitest';
import { OPCODE } from './ws-frames.js';
import { MessageAssembler } from './ws-messages.js';

const frame = (opcode: number, text: string, fin = true) => ({ opcode, fin, payload: Buffer.from(text) });

describe('WebSocket messages from frames', () => {
  it('joins fragments in order into one message, text or binary', () => {
    const m = new MessageAssembler(100);
    expect(m.add(frame(OPCODE.text, 'ab', false))).toEqual({ kind: 'more' });
    expect(m.add(frame(OPCODE.continuation, 'cd'))).toEqual({ kind: 'message', data: Buffer.from('abcd'), isBinary: false });
    expect(m.add(frame(OPCODE.binary, 'x'))).toMatchObject({ kind: 'message', isBinary: true });
  });

  it('refuses a continuation without a start (1002), a new message inside one (1002), and one over the limit (1009)', () => {
    expect(new MessageAssembler(100).add(frame(OPCODE.continuation, 'x'))).toMatchObject({ kind: 'error', error: { code: 1002 } });
    const inside = new MessageAssembler(100);
    inside.add(frame(OPCODE.text, 'a', false));
    expect(inside.add(frame(OPCODE.text, 'b'))).toMatchObject({ kind: 'error', error: { code: 1002 } });
    const big = new MessageAssembler(3);
    big.add(frame(OPCODE.text, 'ab', false));
    expect(big.add(frame(OPCODE.continuation, 'cd'))).toMatchObject({ kind: 'error', error: { code: 1009 } });
  });
});
