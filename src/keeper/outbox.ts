import type { Socket } from 'node:net';

// Past this many bytes not yet acknowledged by a daemon, the children wait (on their full pipes) until it catches up:
// nothing is dropped, and the keeper's memory stays bounded however long the daemon is away.
const FULL_BYTES = 32 * 1024 * 1024;
const RESUME_BYTES = 8 * 1024 * 1024;

interface Item {
  frame: Buffer;
  /** Runs once a daemon has acknowledged the frame (an exit's record can then go). */
  acked?: () => void;
}

/**
 * Everything the keeper has to tell the daemon, in the order it happened. A frame stays until the daemon acknowledges
 * it: one that was written to a daemon that died before handling it (an app's lines, an exit) is written again, first,
 * to the next daemon. So a daemon killed at any instant loses no line.
 */
export class Outbox {
  private readonly waiting: Item[] = [];
  private readonly unacked: Item[] = [];
  private bytes = 0;
  private socket: Socket | undefined;
  private full = false;

  /** `onFull` is told when the bound is crossed either way. */
  constructor(private readonly onFull: (full: boolean) => void) {}

  push(frame: Buffer, acked?: () => void): void {
    this.waiting.push(acked ? { frame, acked } : { frame });
    this.bytes += frame.length;
    if (!this.full && this.bytes > FULL_BYTES) this.setFull(true);
    this.flush();
  }

  /** A daemon is attached (after its state was written): what it has not acknowledged goes first, in order. */
  attach(socket: Socket): void {
    this.waiting.unshift(...this.unacked.splice(0));
    this.socket = socket;
    socket.on('drain', () => this.flush());
    this.flush();
  }

  detach(socket: Socket): void {
    if (this.socket === socket) this.socket = undefined;
  }

  /** The daemon has handled this many more frames of this connection. */
  ack(frames: number): void {
    for (const item of this.unacked.splice(0, frames)) {
      this.bytes -= item.frame.length;
      item.acked?.();
    }
    if (this.full && this.bytes < RESUME_BYTES) this.setFull(false);
  }

  private flush(): void {
    const socket = this.socket;
    while (socket && this.waiting.length > 0 && !socket.writableNeedDrain) {
      const item = this.waiting.shift()!;
      this.unacked.push(item);
      socket.write(item.frame);
    }
  }

  private setFull(full: boolean): void {
    this.full = full;
    this.onFull(full);
  }
}
