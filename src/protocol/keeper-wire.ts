/**
 * Frames on the keeper socket, both ways: a 4-byte length, a 1-byte kind, then the body. Messages are JSON; an app's
 * output travels as raw bytes behind its key, so that logs cross without JSON or base64 on the way.
 */
const MESSAGE = 0;
const OUT = 1;
const ERR = 2;
const HEADER = 5;
/** Nothing legitimate comes close (a spawn with its environment is kilobytes); a bigger frame is a broken peer. */
export const MAX_KEEPER_FRAME = 64 * 1024 * 1024;

export type Frame<M> = { kind: 'message'; message: M } | { kind: 'output'; key: number; stream: 'out' | 'err'; data: Buffer };

export function encodeMessage(message: object): Buffer {
  const body = Buffer.from(JSON.stringify(message));
  const frame = Buffer.allocUnsafe(HEADER + body.length);
  frame.writeUInt32BE(1 + body.length, 0);
  frame[4] = MESSAGE;
  body.copy(frame, HEADER);
  return frame;
}

export function encodeOutput(key: number, stream: 'out' | 'err', data: Buffer): Buffer {
  const frame = Buffer.allocUnsafe(HEADER + 4 + data.length);
  frame.writeUInt32BE(1 + 4 + data.length, 0);
  frame[4] = stream === 'out' ? OUT : ERR;
  frame.writeUInt32BE(key, HEADER);
  data.copy(frame, HEADER + 4);
  return frame;
}

/** Cuts a byte stream back into frames; throws on a frame no peer of ours would send. */
export class FrameReader<M> {
  private pending: Buffer[] = [];
  private size = 0;

  push(chunk: Buffer): Frame<M>[] {
    this.pending.push(chunk);
    this.size += chunk.length;
    const frames: Frame<M>[] = [];
    while (this.size >= 4) {
      const head = this.pending[0]!.length >= 4 ? this.pending[0]! : this.take(this.size, false);
      const length = head.readUInt32BE(0);
      if (length < 1 || length > MAX_KEEPER_FRAME) throw new Error(`a keeper frame of ${length} bytes`);
      if (this.size < 4 + length) break;
      const frame = this.take(4 + length, true).subarray(4);
      frames.push(decode<M>(frame));
    }
    return frames;
  }

  /** The first `n` bytes as one buffer; consumed when `consume`. */
  private take(n: number, consume: boolean): Buffer {
    const all = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending);
    if (!consume) {
      this.pending = [all];
      return all;
    }
    const rest = all.subarray(n);
    this.pending = rest.length > 0 ? [rest] : [];
    this.size = rest.length;
    return all.subarray(0, n);
  }
}

function decode<M>(frame: Buffer): Frame<M> {
  const kind = frame[0];
  if (kind === MESSAGE) return { kind: 'message', message: JSON.parse(frame.subarray(1).toString('utf8')) as M };
  if (kind === OUT || kind === ERR) {
    // A copy: the frame's memory belongs to a larger buffer that would otherwise live as long as this chunk.
    return { kind: 'output', key: frame.readUInt32BE(1), stream: kind === OUT ? 'out' : 'err', data: Buffer.from(frame.subarray(5)) };
  }
  throw new Error(`a keeper frame of unknown kind ${kind}`);
}
