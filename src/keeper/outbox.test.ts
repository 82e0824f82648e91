import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { Outbox } from './outbox.js';

/** A socket that records what is written, and can say it is backed up. */
function fakeSocket() {
  const emitter = new EventEmitter();
  const written: string[] = [];
  const socket = Object.assign(emitter, {
    writableNeedDrain: false,
    write(frame: Buffer) {
      written.push(frame.toString());
      return true;
    },
  });
  return { socket: socket as unknown as Socket & { writableNeedDrain: boolean }, written };
}

describe('Outbox', () => {
  it('holds frames while no daemon is attached and writes them in order once one is', () => {
    const box = new Outbox(() => undefined);
    box.push(Buffer.from('a'));
    box.push(Buffer.from('b'));
    const { socket, written } = fakeSocket();
    box.attach(socket);
    box.push(Buffer.from('c'));
    expect(written).toEqual(['a', 'b', 'c']);
  });

  it('writes again, first, what a daemon that went away had not acknowledged', () => {
    const box = new Outbox(() => undefined);
    const first = fakeSocket();
    box.attach(first.socket);
    for (const f of ['a', 'b', 'c']) box.push(Buffer.from(f));
    box.ack(1);
    box.detach(first.socket);
    box.push(Buffer.from('d'));
    const second = fakeSocket();
    box.attach(second.socket);
    expect(second.written).toEqual(['b', 'c', 'd']);
  });

  it("runs an acknowledged frame's callback only once a daemon acknowledged it", () => {
    const box = new Outbox(() => undefined);
    const acked: string[] = [];
    const { socket } = fakeSocket();
    box.attach(socket);
    box.push(Buffer.from('exit'), () => acked.push('exit'));
    expect(acked).toEqual([]);
    box.ack(1);
    expect(acked).toEqual(['exit']);
  });

  it('waits for drain when the socket is backed up', () => {
    const box = new Outbox(() => undefined);
    const { socket, written } = fakeSocket();
    box.attach(socket);
    socket.writableNeedDrain = true;
    box.push(Buffer.from('a'));
    expect(written).toEqual([]);
    socket.writableNeedDrain = false;
    socket.emit('drain');
    expect(written).toEqual(['a']);
  });

  it('says it is full past its bound and no longer once acknowledged frames bring it down', () => {
    const states: boolean[] = [];
    const box = new Outbox((full) => states.push(full));
    const big = Buffer.alloc(17 * 1024 * 1024);
    box.push(big);
    box.push(big);
    expect(states).toEqual([true]);
    const { socket } = fakeSocket();
    box.attach(socket);
    box.ack(2);
    expect(states).toEqual([true, false]);
  });
});
