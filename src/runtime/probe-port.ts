import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { type FromWorker, WORKER_TAG } from '../protocol/worker.js';

type AnyServer = http.Server | https.Server;

/**
 * A cluster worker's own door for health checks. Workers share their listening port, so a probe of that port reaches
 * any of them: it could neither tell a hung worker from the others nor say that a new one is ready. When the app's
 * first HTTP server listens, this opens a loopback port of this worker alone (exclusive: not shared through the
 * primary) whose connections the app's server handles as its own, and tells sup its number.
 */
export function installProbePort(): void {
  let opened = false;
  for (const proto of [http.Server.prototype, https.Server.prototype] as AnyServer[]) {
    const listen = proto.listen;
    proto.listen = function (this: AnyServer, ...args: unknown[]) {
      if (!opened) {
        opened = true;
        this.once('listening', () => open(this));
      }
      return (listen as (...a: unknown[]) => AnyServer).apply(this, args);
    } as typeof proto.listen;
  }
}

function open(app: AnyServer): void {
  const door = net.createServer((socket) => app.emit('connection', socket));
  door.unref();
  door.on('error', () => undefined);
  door.listen({ port: 0, host: '127.0.0.1', exclusive: true }, () => {
    const address = door.address();
    if (address === null || typeof address === 'string') return;
    const message: FromWorker = { [WORKER_TAG]: 'probe-port', port: address.port };
    process.send?.(message);
  });
}
