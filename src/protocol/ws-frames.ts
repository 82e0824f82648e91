/**
 * WebSocket frames (RFC 6455 §5), as both ends of sup's control socket speak them: a client's frames are masked, a
 * server's never are. No extension is ever negotiated, so a reserved bit set is an error.
 */
export const OPCODE = { continuation: 0x0, text: 0x1, binary: 0x2, close: 0x8, ping: 0x9, pong: 0xa } as const;

export interface Frame {
  fin: boolean;
  opcode: number;
  payload: Buffer;
}

/** The close codes sup's two ends send on a broken stream (RFC 6455 §7.4.1). */
export const CLOSE_CODE = { protocolError: 1002, notUtf8: 1007, tooBig: 1009 } as const;

/** Why the frames stopped: the close code the reader answers with and a reason for its log. */
export interface FrameError {
  code: typeof CLOSE_CODE.protocolError | typeof CLOSE_CODE.tooBig;
  reason: string;
}

/** A frame or a message over the size limit: the same words from the frame decoder and the message assembler. */
export function tooBig(maxPayload: number): FrameError {
  return { code: CLOSE_CODE.tooBig, reason: `a WebSocket message over ${maxPayload} bytes` };
}

/** Whose frames are being decoded: a server reads masked frames (from clients), a client unmasked ones. */
export type Sender = 'client' | 'server';

const KNOWN_OPCODES = new Set<number>(Object.values(OPCODE));

/** One frame, FIN set; masked with `mask` (4 bytes) when given, as a client must. */
export function encodeFrame(opcode: number, payload: Buffer, mask?: Buffer): Buffer {
  const length = payload.length;
  const lengthBytes = length < 126 ? 0 : length < 0x10000 ? 2 : 8;
  const maskBit = mask ? 0x80 : 0;
  const head = Buffer.alloc(2 + lengthBytes + (mask ? 4 : 0));
  head[0] = 0x80 | opcode;
  if (lengthBytes === 0) head[1] = maskBit | length;
  else if (lengthBytes === 2) {
    head[1] = maskBit | 126;
    head.writeUInt16BE(length, 2);
  } else {
    head[1] = maskBit | 127;
    head.writeBigUInt64BE(BigInt(length), 2);
  }
  if (!mask) return Buffer.concat([head, payload]);
  mask.copy(head, 2 + lengthBytes, 0, 4);
  return Buffer.concat([head, applyMask(payload, mask)]);
}

/**
 * The complete frames at the start of `buffer` and what is left of it (a frame still arriving). A frame masked when it
 * should not be or the reverse, larger than `maxPayload`, with a reserved bit or opcode, or a control frame that is
 * fragmented or over 125 bytes is an error: the caller closes the connection.
 */
export function decodeFrames(
  buffer: Buffer,
  maxPayload: number,
  from: Sender = 'server',
): { frames: Frame[]; rest: Buffer; error?: FrameError } {
  const frames: Frame[] = [];
  let offset = 0;
  const fail = (error: FrameError | string) => ({
    frames,
    rest: EMPTY,
    error: typeof error === 'string' ? { code: CLOSE_CODE.protocolError, reason: error } : error,
  });
  for (;;) {
    if (buffer.length - offset < 2) break;
    const first = buffer[offset] as number;
    const second = buffer[offset + 1] as number;
    const [fin, opcode, masked] = [(first & 0x80) !== 0, first & 0x0f, (second & 0x80) !== 0];
    if ((first & 0x70) !== 0) return fail('a WebSocket frame with reserved bits set');
    if (!KNOWN_OPCODES.has(opcode)) return fail(`a WebSocket frame with the reserved opcode ${opcode}`);
    if (masked !== (from === 'client'))
      return fail(from === 'client' ? 'an unmasked WebSocket frame from a client' : 'a masked WebSocket frame from the server');
    let length = second & 0x7f;
    let headLength = 2;
    if (opcode >= OPCODE.close && (!fin || length > 125)) return fail('a fragmented or oversized WebSocket control frame');
    if (length === 126) {
      if (buffer.length - offset < 4) break;
      length = buffer.readUInt16BE(offset + 2);
      headLength = 4;
    } else if (length === 127) {
      if (buffer.length - offset < 10) break;
      length = Number(buffer.readBigUInt64BE(offset + 2));
      headLength = 10;
    }
    if (length > maxPayload) return fail(tooBig(maxPayload));
    const maskLength = masked ? 4 : 0;
    if (buffer.length - offset < headLength + maskLength + length) break;
    const start = offset + headLength + maskLength;
    const body = buffer.subarray(start, start + length);
    const payload = masked ? applyMask(body, buffer.subarray(offset + headLength, start)) : body;
    frames.push({ fin, opcode, payload });
    offset = start + length;
  }
  // All of it read: no view kept on the last chunk (an idle connection would pin up to 64 KiB).
  return { frames, rest: offset === 0 ? buffer : offset === buffer.length ? EMPTY : buffer.subarray(offset) };
}

const EMPTY = Buffer.alloc(0);

function applyMask(data: Buffer, mask: Buffer): Buffer {
  const out = Buffer.allocUnsafe(data.length);
  for (let i = 0; i < data.length; i++) out[i] = (data[i] as number) ^ (mask[i & 3] as number);
  return out;
}
