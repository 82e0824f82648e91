import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeFrames, encodeFrame, OPCODE } from '../../protocol/ws-frames.js';
import { WsConnection } from './ws-connection.js';

const MASK = Buffer.from([1, 2, 3, 4]);
const UPGRADE = `GET / HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nx-sup-token: t\r\n\r\n`;
const rules = { tokenHeader: 'x-sup-token', tokenOk: (t: string | undefined) => t === 't', maxPayload: 1000 };

let dir: string;
let server: Server;
const messages: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sup-ws-'));
  server = createServer(
    (socket) =>
      new WsConnection(socket, rules, (ws) => {
        // As the daemon does: its hello goes out as soon as the connection is open.
        ws.send('hello');
        return { message: (d) => messages.push(d.toString()), close: () => {} };
      }),
  );
  await new Promise<void>((resolve) => server.listen(join(dir, 's'), resolve));
});
afterAll(() => {
  server.close();
  rmSync(dir, { recursive: true, force: true });
});

/**
 * Sends the bytes after an upgrade and collects the server's frames until it ends the connection (every case here ends
 * with its close), or 10 s pass: a bound for a loaded machine, not a wait.
 */
function exchange(...frames: Buffer[]): Promise<{ opcode: number; payload: Buffer }[]> {
  return new Promise((resolve) => {
    const socket: Socket = connect(join(dir, 's'), () => socket.write(Buffer.concat([Buffer.from(UPGRADE), ...frames])));
    let received = Buffer.alloc(0);
    const done = () => {
      const head = received.indexOf('\r\n\r\n');
      resolve(head < 0 ? [] : decodeFrames(received.subarray(head + 4), 1 << 20).frames);
    };
    const timer = setTimeout(() => (socket.destroy(), done()), 10_000);
    socket.on('data', (chunk) => (received = Buffer.concat([received, chunk])));
    socket.on('close', () => (clearTimeout(timer), done()));
  });
}
const client = (opcode: number, text: string | Buffer, fin = true) => {
  const frame = encodeFrame(opcode, Buffer.from(text), MASK);
  if (!fin) frame[0] = (frame[0] as number) & 0x7f;
  return frame;
};
const closeCode = (frames: { opcode: number; payload: Buffer }[]) => frames.find((f) => f.opcode === OPCODE.close)?.payload.readUInt16BE(0);

describe('a control-socket WebSocket connection', () => {
  it('joins fragments into one message, answers a ping, and echoes a close', async () => {
    messages.length = 0;
    const frames = await exchange(
      client(OPCODE.text, '{"a"', false),
      client(OPCODE.ping, 'p'),
      client(OPCODE.continuation, ':1}'),
      client(OPCODE.close, Buffer.from([0x0b, 0xb8])),
    );
    expect(messages).toEqual(['{"a":1}']);
    expect(frames[0]).toMatchObject({ opcode: OPCODE.text, payload: Buffer.from('hello') });
    expect(frames.find((f) => f.opcode === OPCODE.pong)?.payload.toString()).toBe('p');
    expect(closeCode(frames)).toBe(3000);
  });

  it('closes with 1007 on text that is not UTF-8, 1009 on a message over the limit, 1002 on broken framing', async () => {
    expect(closeCode(await exchange(client(OPCODE.text, Buffer.from([0x7b, 0xff]))))).toBe(1007);
    expect(closeCode(await exchange(client(OPCODE.text, 'x'.repeat(600), false), client(OPCODE.continuation, 'x'.repeat(600))))).toBe(1009);
    expect(closeCode(await exchange(client(OPCODE.continuation, 'x')))).toBe(1002);
    expect(closeCode(await exchange(client(OPCODE.close, Buffer.from([3]))))).toBe(1002);
    expect(closeCode(await exchange(encodeFrame(OPCODE.text, Buffer.from('unmasked'))))).toBe(1002);
  });
});
