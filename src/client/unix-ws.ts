import { EventEmitter } from 'node:events';
import { connect, type Socket } from 'node:net';
import { decodeFrames, encodeFrame, type Frame, OPCODE } from '../protocol/ws-frames.js';
import { MessageAssembler } from '../protocol/ws-messages.js';

export interface UnixWsOptions {
  headers?: Record<string, string>;
  /** A message larger than this closes the connection with an error. */
  maxPayload: number;
}

/**
 * The client side of a WebSocket over sup's unix socket, on `net` alone: the subset of the `ws` package that SupClient
 * uses (events message, close, error, unexpected-response; send, close, terminate). `ws` loads http, https, tls,
 * crypto and zlib, which cost every CLI call more than the rest of the command (the daemon's side: control/ws-connection.ts).
 * No extensions are offered (so none is negotiated), and the server's Sec-WebSocket-Accept is not checked: the socket
 * is 0600 in SUP_HOME and the token decides who may talk.
 */
export class UnixWebSocket extends EventEmitter {
  private readonly socket: Socket;
  private buffer: Buffer = Buffer.alloc(0);
  private upgraded = false;
  private closing = false;
  private readonly messages: MessageAssembler;

  constructor(socketPath: string, options: UnixWsOptions) {
    super();
    this.messages = new MessageAssembler(options.maxPayload);
    const headers = Object.entries({
      Host: 'localhost',
      Connection: 'Upgrade',
      Upgrade: 'websocket',
      'Sec-WebSocket-Version': '13',
      'Sec-WebSocket-Key': Buffer.from(randomBytes(16)).toString('base64'),
      ...options.headers,
    });
    this.socket = connect(socketPath, () =>
      this.socket.write(`GET / HTTP/1.1\r\n${headers.map(([name, value]) => `${name}: ${value}\r\n`).join('')}\r\n`),
    );
    this.socket.on('data', (chunk: Buffer) => this.receive(chunk, options.maxPayload));
    this.socket.on('error', (err) => this.emit('error', err));
    this.socket.on('close', () => this.emit('close'));
  }

  send(text: string): void {
    if (this.socket.writable && !this.closing) this.socket.write(encodeFrame(OPCODE.text, Buffer.from(text), randomBytes(4)));
  }

  /** The closing handshake: our close frame, then the server's answer and its end of the connection. */
  close(): void {
    if (!this.upgraded || this.closing) return void this.socket.destroy();
    this.closing = true;
    this.socket.end(encodeFrame(OPCODE.close, Buffer.from([0x03, 0xe8]), randomBytes(4)));
  }

  terminate(): void {
    this.socket.destroy();
  }

  private receive(chunk: Buffer, maxPayload: number): void {
    this.buffer = this.buffer.length > 0 ? Buffer.concat([this.buffer, chunk]) : chunk;
    if (!this.upgraded && !this.upgrade()) return;
    const { frames, rest, error } = decodeFrames(this.buffer, maxPayload);
    this.buffer = rest;
    for (const frame of frames) {
      if (frame.opcode === OPCODE.close) this.close();
      else if (frame.opcode === OPCODE.ping) this.socket.write(encodeFrame(OPCODE.pong, frame.payload, randomBytes(4)));
      else if (frame.opcode !== OPCODE.pong) this.message(frame);
    }
    if (error) this.fail(error.reason);
  }

  private fail(reason: string): void {
    this.emit('error', new Error(reason));
    this.socket.destroy();
  }

  /** Reads the HTTP answer to the upgrade; false while it is incomplete or when it was not 101. */
  private upgrade(): boolean {
    const end = this.buffer.indexOf('\r\n\r\n');
    if (end < 0) return false;
    const statusCode = Number(/^HTTP\/1\.[01] (\d{3})/.exec(this.buffer.toString('latin1', 0, end))?.[1] ?? 0);
    this.buffer = this.buffer.subarray(end + 4);
    if (statusCode !== 101) {
      this.emit('unexpected-response', undefined, { statusCode });
      this.socket.destroy();
      return false;
    }
    this.upgraded = true;
    return true;
  }

  private message(frame: Frame): void {
    const assembled = this.messages.add(frame);
    if (assembled.kind === 'error') this.fail(assembled.error.reason);
    else if (assembled.kind === 'message') this.emit('message', assembled.data);
  }
}

/** A masking key or a handshake nonce: masking only has to defeat intermediaries, and there are none on a unix socket. */
function randomBytes(n: number): Buffer {
  const bytes = Buffer.allocUnsafe(n);
  for (let i = 0; i < n; i++) bytes[i] = Math.floor(Math.random() * 256);
  return bytes;
}
