import { CLOSE_CODE, type Frame, type FrameError, OPCODE, tooBig } from './ws-frames.js';

export type Assembled = { kind: 'message'; data: Buffer; isBinary: boolean } | { kind: 'more' } | { kind: 'error'; error: FrameError };

/**
 * Joins data frames into messages (RFC 6455 §5.4), for both ends of the control socket: one message at a time, its
 * fragments in order, within the size limit. Control frames are the caller's (they may come between fragments).
 */
export class MessageAssembler {
  private partial: { opcode: number; parts: Buffer[]; bytes: number } | null = null;

  constructor(private readonly maxPayload: number) {}

  add(frame: Frame): Assembled {
    const continuation = frame.opcode === OPCODE.continuation;
    if (continuation !== (this.partial !== null)) {
      const reason = continuation ? 'a continuation frame without a start' : 'a new message inside a fragmented one';
      return { kind: 'error', error: { code: CLOSE_CODE.protocolError, reason } };
    }
    const message = this.partial ?? { opcode: frame.opcode, parts: [], bytes: 0 };
    message.parts.push(frame.payload);
    message.bytes += frame.payload.length;
    if (message.bytes > this.maxPayload) return { kind: 'error', error: tooBig(this.maxPayload) };
    this.partial = frame.fin ? null : message;
    if (!frame.fin) return { kind: 'more' };
    const data = message.parts.length === 1 ? (message.parts[0] as Buffer) : Buffer.concat(message.parts);
    return { kind: 'message', data, isBinary: message.opcode === OPCODE.binary };
  }
}
