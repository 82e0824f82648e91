import { isUtf8 } from 'node:buffer';
import type { Socket } from 'node:net';
import { CLOSE_CODE, decodeFrames, encodeFrame, type Frame, OPCODE } from '../../protocol/ws-frames.js';
import { MessageAssembler } from '../../protocol/ws-messages.js';
import { decideUpgrade, refusal, type UpgradeRules } from './upgrade.js';

// A connection that has not finished its upgrade by then is dropped; one closing is ended after this.
const HANDSHAKE_MS = 10_000;
const CLOSE_GRACE_MS = 1000;
const { protocolError: PROTOCOL_ERROR, notUtf8: NOT_UTF8 } = CLOSE_CODE;
// A control frame's payload is at most 125 bytes, 2 of them the code.
const MAX_REASON_BYTES = 123;

/** What the server does with an upgraded connection. */
export interface Session {
  /** A whole message: text (checked UTF-8), or binary. */
  message(data: Buffer, isBinary: boolean): void;
  close(): void;
}

/** The session of a connection opening, until the server's has been created. */
const PENDING: Session = { message: () => {}, close: () => {} };

type State =
  | { kind: 'handshake'; timer: NodeJS.Timeout }
  /** Answered with an HTTP refusal and ending: what else arrives is ignored. */
  | { kind: 'refused' }
  | { kind: 'open'; session: Session; messages: MessageAssembler }
  /** Our close frame is out; the client's answer or the grace ends the connection. */
  | { kind: 'closing'; session: Session; grace: NodeJS.Timeout }
  | { kind: 'closed' };

/**
 * One WebSocket connection on the control socket, server side, on `net` alone: the upgrade (upgrade.ts), then frames
 * (ws-frames.ts): messages joined from fragments, pings answered, the closing handshake. Any protocol violation closes
 * this connection and nothing else. The daemon loads no WebSocket library (the `ws` package alone is about 1 MiB of its
 * heap and a tenth of its start).
 */
export class WsConnection {
  private buffer: Buffer = Buffer.alloc(0);
  private state: State;

  constructor(
    private readonly socket: Socket,
    private readonly rules: UpgradeRules & { maxPayload: number },
    private readonly open: (connection: WsConnection) => Session,
  ) {
    this.state = { kind: 'handshake', timer: setTimeout(() => socket.destroy(), HANDSHAKE_MS).unref() };
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    // A reset or a broken pipe is the client's leaving: the connection ends like any other.
    socket.on('error', () => socket.destroy());
    socket.on('close', () => this.transition({ kind: 'closed' }));
  }

  get isOpen(): boolean {
    return this.state.kind === 'open';
  }

  /** Bytes written but not yet taken by the kernel: what a slow reader has let pile up. */
  get bufferedAmount(): number {
    return this.socket.writableLength;
  }

  send(text: string): void {
    this.sendFrame(textFrame(text));
  }

  /** A frame built once for many connections (an event to every subscriber). */
  sendFrame(frame: Buffer): void {
    if (this.state.kind === 'open') this.socket.write(frame);
  }

  /** The closing handshake: our close frame; the client answers and the connection ends (or is ended after a grace). */
  close(code = 1000, reason = ''): void {
    if (this.state.kind !== 'open') {
      if (this.state.kind === 'handshake') this.socket.destroy();
      return;
    }
    const text = Buffer.from(reason).subarray(0, MAX_REASON_BYTES);
    const payload = Buffer.alloc(2 + text.length);
    payload.writeUInt16BE(code, 0);
    text.copy(payload, 2);
    this.socket.end(encodeFrame(OPCODE.close, payload));
    this.transition({
      kind: 'closing',
      session: this.state.session,
      grace: setTimeout(() => this.socket.destroy(), CLOSE_GRACE_MS).unref(),
    });
  }

  terminate(): void {
    this.socket.destroy();
  }

  /** The one place the state changes: timers of the state left are cleared, a session ends once. */
  private transition(next: State): void {
    const previous = this.state;
    if (previous.kind === 'closed') return;
    if (previous.kind === 'handshake') clearTimeout(previous.timer);
    if (previous.kind === 'closing') clearTimeout(previous.grace);
    this.state = next;
    if (next.kind === 'closed' && (previous.kind === 'open' || previous.kind === 'closing')) previous.session.close();
  }

  private receive(chunk: Buffer): void {
    if (this.state.kind === 'closed' || this.state.kind === 'refused') return;
    this.buffer = this.buffer.length > 0 ? Buffer.concat([this.buffer, chunk]) : chunk;
    if (this.state.kind === 'handshake' && !this.upgrade()) return;
    const { frames, rest, error } = decodeFrames(this.buffer, this.rules.maxPayload, 'client');
    this.buffer = rest;
    for (const frame of frames) {
      if (this.state.kind !== 'open') return;
      this.frame(frame);
    }
    if (error) this.close(error.code, error.reason);
  }

  private frame(frame: Frame): void {
    if (frame.opcode === OPCODE.close) this.close(...answerToClose(frame.payload));
    else if (frame.opcode === OPCODE.ping) this.socket.write(encodeFrame(OPCODE.pong, frame.payload));
    else if (frame.opcode !== OPCODE.pong) this.data(frame);
  }

  /** The HTTP upgrade; false while it is incomplete or when the connection was refused. */
  private upgrade(): boolean {
    const decision = decideUpgrade(this.buffer, this.rules);
    if (decision.kind === 'incomplete') return false;
    if (decision.kind === 'drop') {
      this.socket.destroy();
      return false;
    }
    if (decision.kind === 'refuse') {
      this.transition({ kind: 'refused' });
      this.socket.end(refusal(decision.status, decision.text));
      return false;
    }
    this.socket.write(decision.response);
    this.buffer = decision.rest;
    // Open before the server's session starts: its first act is to send (the hello).
    const open: State = { kind: 'open', session: PENDING, messages: new MessageAssembler(this.rules.maxPayload) };
    this.transition(open);
    open.session = this.open(this);
    return this.state.kind === 'open';
  }

  /** A data frame: a whole message, or one fragment of it. */
  private data(frame: Frame): void {
    if (this.state.kind !== 'open') return;
    const assembled = this.state.messages.add(frame);
    if (assembled.kind === 'error') return this.close(assembled.error.code, assembled.error.reason);
    if (assembled.kind === 'more') return;
    if (!assembled.isBinary && !isUtf8(assembled.data)) return this.close(NOT_UTF8, 'a text message that is not UTF-8');
    this.state.session.message(assembled.data, assembled.isBinary);
  }
}

/** A server's text frame. */
export function textFrame(text: string): Buffer {
  return encodeFrame(OPCODE.text, Buffer.from(text));
}

/** The answer to a client's close frame: its own code when an endpoint may send it (RFC 6455 §7.4), 1002 for a broken one. */
function answerToClose(payload: Buffer): [code: number, reason: string] {
  if (payload.length === 0) return [1000, ''];
  if (payload.length === 1) return [PROTOCOL_ERROR, 'a close frame with a 1-byte payload'];
  if (!isUtf8(payload.subarray(2))) return [NOT_UTF8, 'a close reason that is not UTF-8'];
  const code = payload.readUInt16BE(0);
  const sendable = (code >= 1000 && code <= 1014 && ![1004, 1005, 1006].includes(code)) || (code >= 3000 && code <= 4999);
  return sendable ? [code, ''] : [PROTOCOL_ERROR, `a close frame with the code ${code}`];
}
