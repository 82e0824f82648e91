// An ES module app (`.mjs`: import syntax whatever package.json says): a tiny HTTP server with graceful shutdown.
//
//   PORT=3300 npx sup start examples/esm-app.mjs               # fork mode, one process
//   PORT=3300 npx sup start examples/esm-app.mjs -i 2          # cluster mode: two workers share port 3300
//   curl 127.0.0.1:3300                                        # {"hello":"from an ES module",...}
//   npx sup reload esm-app                                     # cluster mode: zero-downtime replacement
//   npx sup delete esm-app
//
// On SIGTERM (sup's stop signal) or SIGINT it stops accepting, lets requests in flight finish,
// closes idle keep-alive connections and exits; a hard deadline below kill_timeout backs it up.
import { createServer } from 'node:http';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';

const port = Number(process.env.PORT ?? 3300);
// 127.0.0.1 unless told otherwise (HOST=0.0.0.0 in a container, where traffic arrives from outside).
const host = process.env.HOST ?? '127.0.0.1';
const instance = process.env.NODE_APP_INSTANCE ?? '0';
const startedAt = new Date().toISOString();

const server = createServer((req, res) => {
  res.setHeader('content-type', 'application/json');
  res.end(`${JSON.stringify({ hello: 'from an ES module', pid: process.pid, instance, startedAt, url: req.url })}\n`);
});

server.listen(port, host);
await once(server, 'listening'); // top-level await: ES modules only
console.log(`esm-app ${process.pid} (instance ${instance}) listening on http://${host}:${port}`);

let stopping = false;
async function shutdown(signal) {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: closing the server`);
  // Requests in flight finish; idle keep-alive sockets are closed (Node ≥ 19 does both in close()).
  const closed = once(server, 'close');
  server.close();
  // Stay under sup's default kill_timeout (1600 ms), after which the whole tree gets SIGKILL anyway.
  await Promise.race([closed, sleep(1000).then(() => server.closeAllConnections())]);
  console.log('closed; bye');
  process.exit(0);
}
process.on('SIGTERM', shutdown); // sup's default stop signal
process.on('SIGINT', shutdown); // PM2's, and Ctrl-C when run by hand
