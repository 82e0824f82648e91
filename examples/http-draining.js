// An HTTP app that drains properly on its own, so that no request fails when it is stopped,
// whatever supervisor (or none) runs it:
//   1. stop accepting new connections (net's close, which leaves open connections alone);
//   2. answer the next request on each open connection with `Connection: close`;
//   3. close connections that stay idle only after a grace period, then exit.
import { createServer } from 'node:http';
import net from 'node:net';

const port = Number(process.env.PORT ?? 3000);
const GRACE_MS = 1000;
let draining = false;
const sockets = new Set();

const server = createServer((req, res) => {
  if (draining) res.setHeader('Connection', 'close');
  res.end(`hello from pid ${process.pid} (instance ${process.env.NODE_APP_INSTANCE ?? 0})\n`);
});
server.on('connection', (socket) => {
  sockets.add(socket);
  socket.on('close', () => sockets.delete(socket));
});
server.listen(port, '127.0.0.1', () => console.log(`listening on http://127.0.0.1:${port}`));

async function shutdown(signal) {
  if (draining) return;
  draining = true;
  console.log(`${signal}: draining ${sockets.size} connection(s)`);
  net.Server.prototype.close.call(server);
  const deadline = Date.now() + GRACE_MS;
  while (sockets.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  for (const socket of sockets) socket.destroy();
  process.exit(0);
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
