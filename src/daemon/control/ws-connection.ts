import { isUtf8 } from 'node:buffer';
import type { Socket } from 'node:net';
import { decodeFrames, encodeFrame, OPCODE } from '../../protocol/ws-frames.js';
import { decideUpgrade, refusal, type UpgradeRules } from './upgrade.js';

// A connection that has not finished its upgrade by then is dropped; one closing is ended after this.
const HANDSHAKE_MS = 10_000;
const CLOSE_GRACE_MS = 1000;
// Close codes (RFC 6455 §7.4.1).
const PROTOCOL_ERROR = 1002;
const NOT_UTF8 = 1007;
const TOO_BIG = 1009;

/** What the server does with an upgraded connection. */
export interface Session {
  /** A whole message: text (checked UTF-8), or binary. */
  message(data: Buffer, isBinary: boolean): void;
  close(): void;
}

/**
 * One WebSocket connection on the control socket, server side, on `net` alone: the upgrade (upgrade.ts), then frames
 * (ws-frames.ts): messages joined from fragments, pings answered, the closing handshake. Any protocol violation closes
 * this connection and nothing else. The daemon loads no WebSocket library (the `ws` package alone is about 1 MiB of its
 * heap and a tenth of its start).
 */
export class WsConnection {
  private buffer: Buffer = Buffer.alloc(0);
  private state: 'handshake' | 'open' | 'closing' | 'closed' = 'handshake';
  private fragments: Buffer[] = [];
  private fragmentedOpcode: number | null = null;
  private fragmentBytes = 0;
  private timer: NodeJS.Timeout | undefined;
  private session: Session | undefined;

  constructor(
    private readonly socket: Socket,
    private readonly rules: UpgradeRules & { maxPayload: number },
    private readonly open: (connection: WsConnection) => Session,
  ) {
    this.timer = setTimeout(() => socket.destroy(), HANDSHAKE_MS).unref();
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    // A reset or a broken pipe is the client's leaving: the connection ends like any other.
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      clearTimeout(this.timer);
      this.state = 'closed';
      this.session?.close();
    });
  }

  get isOpen(): boolean {
    return this.state === 'open';
  }

  /** Bytes written but not yet taken by the kernel: what a slow reader has let pile up. */
  get bufferedAmount(): number {
    return this.socket.writableLength;
  }

  send(text: string): void {
    if (this.state === 'open') this.socket.write(encodeFrame(OPCODE.text, Buffer.from(text)));
  }

  /** The closing handshake: our close frame; the client answers and the connection ends (or is ended after a grace). */
  close(code = 1000, reason = ''): void {
    if (this.state !== 'open') return void (this.state === 'handshake' && this.socket.destroy());
    this.state = 'closing';
    const payload = Buffer.alloc(2 + Buffer.byteLength(reason));
    payload.writeUInt16BE(code, 0);
    payload.write(reason, 2);
    this.socket.end(encodeFrame(OPCODE.close, payload));
    this.timer = setTimeout(() => this.socket.destroy(), CLOSE_GRACE_MS).unref();
  }

  terminate(): void {
    this.socket.destroy();
  }

  private receive(chunk: Buffer): void {
    if (this.state === 'closed') return;
    this.buffer = this.buffer.length > 0 ? Buffer.concat([this.buffer, chunk]) : chunk;
    if (this.state === 'handshake' && !this.upgrade()) return;
    const { frames, rest, error } = decodeFrames(this.buffer, this.rules.maxPayload, 'client');
    this.buffer = rest;
    for (const frame of frames) {
      if (this.state !== 'open') return;
      if (frame.opcode === OPCODE.close) return this.close(echoedCode(frame.payload));
      if (frame.opcode === OPCODE.ping) this.socket.write(encodeFrame(OPCODE.pong, frame.payload));
      else if (frame.opcode !== OPCODE.pong) this.data(frame.fin, frame.opcode, frame.payload);
    }
    if (error) this.close(/over \d+ bytes/.test(error) ? TOO_BIG : PROTOCOL_ERROR, error);
  }

  /** The HTTP upgrade; false while it is incomplete or when the connection was refused. */
  private upgrade(): boolean {
    const decision = decideUpgrade(this.buffer, this.rules);
    if (decision.kind === 'incomplete') return false;
    if (decision.kind === 'drop') return (void this.socket.destroy(), false);
    if (decision.kind === 'refuse') return (void this.socket.end(refusal(decision.status, decision.text)), false);
    clearTimeout(this.timer);
    this.socket.write(decision.response);
    this.buffer = decision.rest;
    this.state = 'open';
    this.session = this.open(this);
    return this.state === 'open';
  }

  /** A data frame: a whole message, or one fragment of it (RFC 6455 §5.4). */
  private data(fin: boolean, opcode: number, payload: Buffer): void {
    const continuation = opcode === OPCODE.continuation;
    if (continuation !== (this.fragmentedOpcode !== null)) {
      return this.close(PROTOCOL_ERROR, continuation ? 'a continuation frame without a start' : 'a new message inside a fragmented one');
    }
    this.fragmentBytes += payload.length;
    if (this.fragmentBytes > this.rules.maxPayload) return this.close(TOO_BIG, `a WebSocket message over ${this.rules.maxPayload} bytes`);
    this.fragments.push(payload);
    if (!continuation) this.fragmentedOpcode = opcode;
    if (!fin) return;
    const message = this.fragments.length === 1 ? (this.fragments[0] as Buffer) : Buffer.concat(this.fragments);
    const isBinary = this.fragmentedOpcode === OPCODE.binary;
    [this.fragments, this.fragmentedOpcode, this.fragmentBytes] = [[], null, 0];
    if (!isBinary && !isUtf8(message)) return this.close(NOT_UTF8, 'a text message that is not UTF-8');
    this.session?.message(message, isBinary);
  }
}

/** The code a close frame answers with: the client's own when it is one an endpoint may send (RFC 6455 §7.4). */
function echoedCode(payload: Buffer): number {
  if (payload.length < 2) return 1000;
  const code = payload.readUInt16BE(0);
  const sendable = (code >= 1000 && code <= 1014 && ![1004, 1005, 1006].includes(code)) || (code >= 3000 && code <= 4999);
  return sendable ? code : PROTOCOL_ERROR;
}
