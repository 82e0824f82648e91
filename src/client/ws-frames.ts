/** WebSocket frames (RFC 6455 §5.2), encoded by a client (always masked) and decoded from a server (never masked). */
export const OPCODE = { continuation: 0x0, text: 0x1, binary: 0x2, close: 0x8, ping: 0x9, pong: 0xa } as const;

export interface Frame {
  fin: boolean;
  opcode: number;
  payload: Buffer;
}

/** One client frame: FIN set, the payload masked with `mask` (4 bytes). */
export function encodeFrame(opcode: number, payload: Buffer, mask: Buffer): Buffer {
  const length = payload.length;
  const lengthBytes = length < 126 ? 0 : length < 0x10000 ? 2 : 8;
  const head = Buffer.alloc(2 + lengthBytes + 4);
  head[0] = 0x80 | opcode;
  if (lengthBytes === 0) head[1] = 0x80 | length;
  else if (lengthBytes === 2) {
    head[1] = 0x80 | 126;
    head.writeUInt16BE(length, 2);
  } else {
    head[1] = 0x80 | 127;
    head.writeBigUInt64BE(BigInt(length), 2);
  }
  mask.copy(head, 2 + lengthBytes, 0, 4);
  const body = Buffer.allocUnsafe(length);
  for (let i = 0; i < length; i++) body[i] = (payload[i] as number) ^ (mask[i & 3] as number);
  return Buffer.concat([head, body]);
}

/**
 * The complete frames at the start of `buffer` and what is left of it (a frame still arriving). A masked frame, one
 * larger than `maxPayload` or a reserved bit set (no extension was negotiated) is an error: the caller closes.
 */
export function decodeFrames(buffer: Buffer, maxPayload: number): { frames: Frame[]; rest: Buffer; error?: string } {
  const frames: Frame[] = [];
  let offset = 0;
  for (;;) {
    if (buffer.length - offset < 2) break;
    const first = buffer[offset] as number;
    const second = buffer[offset + 1] as number;
    if ((first & 0x70) !== 0) return { frames, rest: Buffer.alloc(0), error: 'a WebSocket frame with reserved bits set' };
    if ((second & 0x80) !== 0) return { frames, rest: Buffer.alloc(0), error: 'a masked WebSocket frame from the server' };
    let length = second & 0x7f;
    let headLength = 2;
    if (length === 126) {
      if (buffer.length - offset < 4) break;
      length = buffer.readUInt16BE(offset + 2);
      headLength = 4;
    } else if (length === 127) {
      if (buffer.length - offset < 10) break;
      length = Number(buffer.readBigUInt64BE(offset + 2));
      headLength = 10;
    }
    if (length > maxPayload) return { frames, rest: Buffer.alloc(0), error: `a WebSocket message over ${maxPayload} bytes` };
    if (buffer.length - offset < headLength + length) break;
    const start = offset + headLength;
    frames.push({ fin: (first & 0x80) !== 0, opcode: first & 0x0f, payload: buffer.subarray(start, start + length) });
    offset = start + length;
  }
  return { frames, rest: offset === 0 ? buffer : buffer.subarray(offset) };
}
