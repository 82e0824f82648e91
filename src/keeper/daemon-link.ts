import type { Socket } from 'node:net';
import { tokenMatches } from '../auth-token-guard.js';
import type { FromKeeper, ToKeeper } from '../protocol/keeper.js';
import { KEEPER_PROTOCOL } from '../protocol/keeper.js';
import { encodeMessage, FrameReader } from '../protocol/keeper-wire.js';
import type { Children } from './children.js';
import type { Outbox } from './outbox.js';

/** How a daemon's connection ended, for the keeper to decide what comes next. */
export type Departure = 'died' | 'left' | 'handover' | 'shutdown';

export interface LinkEvents {
  /** The attached daemon is gone (a connection that never said hello is not a daemon, and says nothing here). */
  departed(how: Departure): void;
  log(message: string): void;
}

/**
 * The keeper's side of the daemon's connection. One daemon at a time: a newer hello replaces the attached one (a
 * new daemon only says hello once it owns the control socket, so the older one is gone or going).
 */
export class DaemonLink {
  private attached: Socket | undefined;

  constructor(
    private readonly token: string,
    private readonly children: Children,
    private readonly outbox: Outbox,
    private readonly events: LinkEvents,
  ) {}

  get connected(): boolean {
    return this.attached !== undefined;
  }

  accept(socket: Socket): void {
    const reader = new FrameReader<ToKeeper>();
    let said: Departure = 'died';
    let hello = false;
    socket.on('data', (chunk: Buffer) => {
      try {
        for (const frame of reader.push(chunk)) {
          if (frame.kind !== 'message') throw new Error('a daemon sends no output frames');
          const message = frame.message;
          if (!hello) {
            if (message.type !== 'hello' || !tokenMatches(this.token, message.token)) throw new Error('not a daemon of this SUP_HOME');
            hello = true;
            this.attach(socket, message.pid);
          } else said = this.handle(message) ?? said;
        }
      } catch (err) {
        this.events.log(`dropping a keeper connection: ${(err as Error).message}`);
        socket.destroy();
      }
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      if (socket !== this.attached) return;
      this.attached = undefined;
      this.outbox.detach(socket);
      this.events.departed(said);
    });
  }

  private attach(socket: Socket, pid: number): void {
    const previous = this.attached;
    this.attached = socket;
    if (previous) {
      this.outbox.detach(previous);
      previous.destroy();
    }
    const state: FromKeeper = {
      type: 'state',
      protocol: KEEPER_PROTOCOL,
      pid: process.pid,
      lastKey: this.children.lastKey,
      children: this.children.list(),
    };
    socket.write(encodeMessage(state));
    this.outbox.attach(socket);
    this.events.log(`daemon ${pid} attached; it holds ${this.children.size} process(es)`);
  }

  /** Carries out one request; returns how the daemon says it is leaving, when it says so. */
  private handle(message: ToKeeper): Departure | undefined {
    switch (message.type) {
      case 'hello':
        throw new Error('hello twice');
      case 'spawn':
        return void this.children.spawn(message.key, message.tag, message.spec);
      case 'send':
        return void this.children.send(message.key, message.message);
      case 'stdin':
        return void this.children.stdin(message.key, message.data);
      case 'drain':
        return void this.children.drain(message.key, message.graceMs);
      case 'pause':
      case 'resume':
        return void this.children.pauseByDaemon(message.key, message.type === 'pause');
      case 'ack':
        return void this.outbox.ack(message.frames);
      case 'farewell':
        return message.handover ? 'handover' : 'left';
      case 'shutdown':
        return 'shutdown';
    }
  }
}
