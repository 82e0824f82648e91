import { createServer, type Server } from 'node:net';
import { tokenMatches } from '../../auth-token-guard.js';
import { TOKEN_HEADER } from '../../auth-token.js';
import { SupError, toWireError } from '../../errors.js';
import { MAX_FRAME_BYTES, type ServerFrame, type SupEvent, type Topic } from '../../protocol/messages.js';
import { dispatch } from './dispatch.js';
import type { HandlerContext } from './handlers.js';
import type { EventBus } from '../events.js';
import { type Session, textFrame, WsConnection } from './ws-connection.js';

// A client that does not read its events is cut off rather than growing the daemon's memory;
// before that, log events for it are skipped (and the skip is announced), replies and state changes never are.
const MAX_BUFFERED_BYTES = 16 * 1024 * 1024;
const LOG_BUFFER_BYTES = 1024 * 1024;

export type ContextBase = Omit<HandlerContext, 'subscribe'>;

// One event goes to every subscriber: it is turned into a WebSocket frame once, not once per connection.
const framed = new WeakMap<SupEvent, Buffer>();
function eventFrame(event: SupEvent): Buffer {
  let frame = framed.get(event);
  if (frame === undefined) framed.set(event, (frame = textFrame(JSON.stringify({ kind: 'event', event } satisfies ServerFrame))));
  return frame;
}

function topicOf(event: SupEvent): Topic {
  if (event.type === 'log-skipped') return 'log';
  if (event.type === 'app-event') return 'events';
  return event.type === 'log' || event.type === 'message' || event.type === 'metrics' ? event.type : 'process';
}

/** The control socket: WebSocket frames over a unix socket, one JSON message per frame. */
export class ControlServer {
  readonly listener: Server;
  private readonly connections = new Set<WsConnection>();

  constructor(
    private readonly events: EventBus,
    private readonly base: ContextBase,
    private readonly hello: () => ServerFrame,
    token: string,
  ) {
    const rules = {
      tokenHeader: TOKEN_HEADER,
      tokenOk: (presented: string | undefined) => tokenMatches(token, presented),
      maxPayload: MAX_FRAME_BYTES,
    };
    this.listener = createServer((socket) => {
      // Every connection, upgraded or not: a daemon closing ends them all, not only the upgraded ones.
      const connection = new WsConnection(socket, rules, (ws) => this.accept(ws));
      this.connections.add(connection);
      socket.once('close', () => this.connections.delete(connection));
    });
  }

  /**
   * Stops listening first (closing the listener removes the socket file), then closes every
   * connection after the replies already queued, so a new daemon can never lose its socket to this one.
   */
  close(): Promise<void> {
    return new Promise((resolve) => {
      const force = setTimeout(() => {
        for (const ws of this.connections) ws.terminate();
      }, 1000);
      this.listener.close(() => {
        clearTimeout(force);
        resolve();
      });
      for (const ws of this.connections) {
        if (ws.isOpen) ws.close(1001, 'daemon shutting down');
        else ws.terminate();
      }
    });
  }

  private accept(ws: WsConnection): Session {
    let unsubscribe: (() => void) | undefined;
    let skipped = 0;
    let notice: NodeJS.Timeout | undefined;
    const send = (frame: ServerFrame | Buffer) => {
      if (!ws.isOpen) return;
      if (ws.bufferedAmount > MAX_BUFFERED_BYTES) return ws.terminate();
      ws.sendFrame(Buffer.isBuffer(frame) ? frame : textFrame(JSON.stringify(frame)));
    };
    // The skip is announced as soon as the reader has caught up, even if the app has gone quiet since.
    const announceSkips = () => {
      if (!ws.isOpen || ws.bufferedAmount > LOG_BUFFER_BYTES || skipped === 0) return;
      clearInterval(notice);
      notice = undefined;
      send({ kind: 'event', event: { type: 'log-skipped', count: skipped } });
      skipped = 0;
    };
    const sendLog = (frame: Buffer) => {
      if (ws.bufferedAmount > LOG_BUFFER_BYTES) {
        skipped++;
        notice ??= setInterval(announceSkips, 100).unref();
        return;
      }
      announceSkips();
      send(frame);
    };
    const ctx: HandlerContext = {
      ...this.base,
      subscribe: (topics: Topic[]) => {
        unsubscribe?.();
        const wanted = new Set(topics);
        unsubscribe = this.events.subscribe((event: SupEvent) => {
          if (!wanted.has(topicOf(event))) return;
          if (event.type === 'log') sendLog(eventFrame(event));
          else send(eventFrame(event));
        }, wanted.has('log'));
      },
    };
    send(this.hello());
    // Invalid frames, oversized messages, abrupt disconnects: that connection ends (ws-connection.ts), the daemon goes on.
    return {
      message: (data, isBinary) => {
        if (isBinary) {
          send({ kind: 'reply', id: null, ok: false, error: toWireError(new SupError('BAD_REQUEST', 'requests are JSON text frames')) });
          return;
        }
        void dispatch(data.toString(), ctx).then(send);
      },
      close: () => {
        unsubscribe?.();
        clearInterval(notice);
      },
    };
  }
}
