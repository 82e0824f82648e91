import type { Socket } from 'node:net';
import { readToken } from '../../auth-token.js';
import type { SupPaths } from '../../paths.js';
import { type FromKeeper, KEEPER_PROTOCOL, type KeptChild, type ToKeeper } from '../../protocol/keeper.js';
import { encodeMessage, FrameReader } from '../../protocol/keeper-wire.js';
import { connectKeeper } from './keeper-socket.js';

/** What the link delivers for one key (a KeeperHandle). */
export interface Route {
  deliver(message: Exclude<FromKeeper, { type: 'state' }>): void;
  /** A promise: the log file is behind; the keeper stops reading this process until it resolves. */
  output(stream: 'out' | 'err', data: Buffer): Promise<void> | undefined;
}

/** The keeper as a daemon's hello found it. */
export interface KeeperState {
  protocol: number;
  pid: number;
  lastKey: number;
  children: KeptChild[];
}

/** One connection from this daemon to the keeper: hello, the keeper's state, then frames both ways. */
type Frame = ReturnType<FrameReader<FromKeeper>['push']>[number];

export class KeeperLink {
  private readonly routes = new Map<number, Route>();
  /** Frames for processes the keeper held at hello, kept until they are adopted (or dropped with dropUnadopted). */
  private readonly early = new Map<number, Frame[]>();
  private handled = 0;
  private acked = 0;
  private ackQueued = false;
  private acks: Promise<void> = Promise.resolve();
  private leaving = false;
  /** Resolves when the connection closes; `expected` when this daemon ended it (a shutdown, a farewell). */
  readonly closed: Promise<{ expected: boolean }>;

  private constructor(
    private readonly socket: Socket,
    readonly state: KeeperState,
    reader: FrameReader<FromKeeper>,
    /** Resolves once the log files have written what they were given. */
    private readonly written: () => Promise<void>,
  ) {
    for (const child of state.children) this.early.set(child.key, []);
    this.closed = new Promise((resolve) => socket.once('close', () => resolve({ expected: this.leaving })));
    socket.on('data', (chunk: Buffer) => {
      try {
        for (const frame of reader.push(chunk)) this.receive(frame);
      } catch {
        socket.destroy();
      }
    });
  }

  /** Connects (starting a keeper when none answers) and says hello; resolves with the keeper's state. */
  static async open(paths: SupPaths, foreground: boolean, written: () => Promise<void>): Promise<KeeperLink> {
    const socket = await connectKeeper(paths, foreground);
    socket.on('error', () => socket.destroy());
    const hello: ToKeeper = { type: 'hello', protocol: KEEPER_PROTOCOL, pid: process.pid, token: readToken(paths.token) ?? '' };
    socket.write(encodeMessage(hello));
    // The state is the first frame; whatever came with it belongs to the link.
    return new Promise((resolve, reject) => {
      const reader = new FrameReader<FromKeeper>();
      const onData = (chunk: Buffer) => {
        let frames: ReturnType<typeof reader.push>;
        try {
          frames = reader.push(chunk);
        } catch (err) {
          return reject(err);
        }
        const first = frames[0];
        if (!first) return;
        socket.off('data', onData);
        if (first.kind !== 'message' || first.message.type !== 'state') return reject(new Error('the keeper did not answer hello'));
        const { protocol, pid, lastKey, children } = first.message;
        // The same reader goes on: it may hold the start of the next frame.
        const link = new KeeperLink(socket, { protocol, pid, lastKey, children }, reader, written);
        for (const frame of frames.slice(1)) link.receive(frame);
        resolve(link);
      };
      socket.on('data', onData);
      socket.once('close', () => reject(new Error('the keeper closed the connection before its state')));
    });
  }

  send(message: ToKeeper): void {
    if (!this.socket.destroyed) this.socket.write(encodeMessage(message));
  }

  route(key: number, route: Route): void {
    this.routes.set(key, route);
    const early = this.early.get(key);
    this.early.delete(key);
    early?.forEach((frame) => this.dispatch(frame));
  }

  /** Recovery is done: what the keeper held and no instance adopted is not waited for any longer. */
  dropUnadopted(): void {
    this.early.clear();
  }

  unroute(key: number): void {
    this.routes.delete(key);
  }

  /** Every route still open, for a keeper that died. */
  openRoutes(): Route[] {
    return [...this.routes.values()];
  }

  /** The daemon leaves on purpose: the keeper waits (handover) or keeps the apps for the next daemon. */
  farewell(handover: boolean): Promise<void> {
    return this.end({ type: 'farewell', handover });
  }

  /** `sup kill`: the apps are stopped; the keeper ends what is left and exits. */
  shutdown(): Promise<void> {
    return this.end({ type: 'shutdown' });
  }

  private async end(message: ToKeeper): Promise<void> {
    this.leaving = true;
    await this.acks;
    this.send(message);
    this.socket.end();
    await this.closed;
  }

  private receive(frame: Frame): void {
    this.handled++;
    // Acknowledged once this turn's frames are handled and their bytes written to the log files: a daemon killed in
    // between leaves these few frames to be written again by the next one (at least once, never lost).
    if (!this.ackQueued) {
      this.ackQueued = true;
      setImmediate(() => {
        this.ackQueued = false;
        const upTo = this.handled;
        this.acks = this.acks.then(() => this.written()).then(() => this.sendAck(upTo));
      });
    }
    const key = frame.kind === 'output' ? frame.key : 'key' in frame.message ? frame.message.key : undefined;
    const early = key === undefined ? undefined : this.early.get(key);
    if (early) early.push(frame);
    else this.dispatch(frame);
  }

  private dispatch(frame: Frame): void {
    if (frame.kind === 'output') {
      const waiting = this.routes.get(frame.key)?.output(frame.stream, frame.data);
      if (waiting) {
        this.send({ type: 'pause', key: frame.key });
        void waiting.then(() => this.send({ type: 'resume', key: frame.key }));
      }
      return;
    }
    const message = frame.message;
    if (message.type === 'state') return;
    this.routes.get(message.key)?.deliver(message);
    if (message.type === 'exit' || message.type === 'spawn-failed') this.routes.delete(message.key);
  }

  private sendAck(upTo: number): void {
    if (upTo <= this.acked) return;
    this.send({ type: 'ack', frames: upTo - this.acked });
    this.acked = upTo;
  }
}
