import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import WebSocket from 'ws';
import { readToken, TOKEN_HEADER, tokenPath } from '../../src/auth-token.js';
import type { ServerFrame } from '../../src/protocol/messages.js';

export interface RawOutcome {
  /** Everything the daemon sent back, as latin1 text. */
  data: string;
  /** Whether the daemon closed the connection before the deadline. */
  closed: boolean;
}

/**
 * A WebSocket upgrade request for a raw connection, with these extra headers (the token, an Origin…). The key only
 * has to be 16 bytes of base64.
 */
export function upgradeRequest(headers: string[]): string {
  return [
    'GET / HTTP/1.1',
    'Host: sup',
    'Upgrade: websocket',
    'Connection: Upgrade',
    'Sec-WebSocket-Version: 13',
    `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
    ...headers,
    '',
    '',
  ].join('\r\n');
}

/** The header that carries the daemon's token, as its owner's clients send it. */
export const tokenHeader = (socketPath: string) => `${TOKEN_HEADER}: ${readToken(tokenPath(socketPath)) ?? ''}`;

/** Writes raw bytes to the control socket and collects what comes back until the daemon closes it or the deadline passes. */
export function rawExchange(socketPath: string, bytes: Buffer | string, timeoutMs = 3000): Promise<RawOutcome> {
  return new Promise((resolve, reject) => {
    const socket = connect(socketPath);
    let data = '';
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ data, closed: false });
    }, timeoutMs);
    socket.on('data', (chunk) => (data += chunk.toString('latin1')));
    socket.on('error', (err: NodeJS.ErrnoException) => {
      // The daemon may reset a connection it drops while we still write.
      if (err.code !== 'ECONNRESET' && err.code !== 'EPIPE') {
        clearTimeout(timer);
        reject(err);
      }
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ data, closed: true });
    });
    socket.on('connect', () => socket.write(bytes));
  });
}

/** A WebSocket to the daemon that speaks whatever a test wants, and hands back each frame it receives in order. */
export class RawClient {
  private readonly frames: ServerFrame[] = [];
  private waiting: (() => void) | undefined;
  readonly closed: Promise<{ code: number; reason: string }>;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      this.frames.push(JSON.parse(data.toString()) as ServerFrame);
      this.waiting?.();
    });
    ws.on('error', () => undefined);
    this.closed = new Promise((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  }

  /** headers: the daemon's token unless given (a test of the access check passes its own). */
  static open(
    socketPath: string,
    headers: Record<string, string> = { [TOKEN_HEADER]: readToken(tokenPath(socketPath)) ?? '' },
  ): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(`ws+unix://${socketPath}:/`, { perMessageDeflate: false, headers });
      ws.once('open', () => resolve(new RawClient(ws)));
      ws.once('error', reject);
    });
  }

  /** The next frame from the daemon; fails after the deadline with what the connection looked like. */
  async next(timeoutMs = 5000): Promise<ServerFrame> {
    const deadline = Date.now() + timeoutMs;
    while (this.frames.length === 0) {
      if (Date.now() > deadline) throw new Error(`no frame from the daemon within ${timeoutMs} ms (readyState ${this.ws.readyState})`);
      await new Promise<void>((resolve) => {
        this.waiting = resolve;
        setTimeout(resolve, 50);
      });
    }
    return this.frames.shift()!;
  }

  /** Sends a text frame (anything at all) and returns the next frame back. */
  async exchange(text: string): Promise<ServerFrame> {
    this.ws.send(text);
    return this.next();
  }

  close(): void {
    this.ws.terminate();
  }
}
