import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { Socket } from 'node:net';

type AnyServer = http.Server | https.Server;
/** Node keeps the response being written on its socket; that is all a drain needs to see. */
type HttpSocket = Socket & { _httpMessage?: http.ServerResponse | null };

/**
 * Tracks the HTTP servers of this process so that a supervisor-initiated stop loses no request,
 * even for apps that shut down naively with `server.close(() => process.exit())`:
 * stop accepting, answer the next request on each connection with `Connection: close`,
 * and close connections that stay idle only after a grace period. Since Node 19 `server.close()`
 * destroys idle keep-alive sockets at once, racing with clients that are just sending on them.
 * Until a drain starts it costs one listener per connection and nothing per request.
 */
export class HttpDrain {
  private readonly servers = new Set<AnyServer>();
  private readonly sockets = new Set<HttpSocket>();

  /** Patches listen() of http and https servers; called once, when sup's runtime loads in a worker. */
  install(): void {
    for (const proto of [http.Server.prototype, https.Server.prototype] as AnyServer[]) {
      const listen = proto.listen;
      const drain = this;
      proto.listen = function (this: AnyServer, ...args: unknown[]) {
        drain.track(this);
        return (listen as (...a: unknown[]) => AnyServer).apply(this, args);
      } as typeof proto.listen;
    }
  }

  /** Resolves when every tracked connection is closed, or after graceMs with idle ones closed. */
  async drain(graceMs: number): Promise<void> {
    for (const server of this.servers) {
      // From now on every response closes its connection after it.
      server.prependListener('request', (_req: http.IncomingMessage, res: http.ServerResponse) => (res.shouldKeepAlive = false));
      // net's close, not http's: http's would destroy idle keep-alive sockets at once.
      if (server.listening) net.Server.prototype.close.call(server);
    }
    for (const socket of this.sockets) {
      const res = socket._httpMessage;
      if (res && !res.headersSent) res.shouldKeepAlive = false;
    }
    const deadline = Date.now() + graceMs;
    while (this.sockets.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    for (const socket of this.sockets) if (!socket._httpMessage) socket.destroy();
  }

  private track(server: AnyServer): void {
    if (this.servers.has(server)) return;
    this.servers.add(server);
    const add = (socket: HttpSocket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    };
    server.on(server instanceof https.Server ? 'secureConnection' : 'connection', add);
  }
}
