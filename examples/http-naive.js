// An HTTP app that shuts down the way most tutorials show: on the signal, server.close(), then exit.
// Since Node 19, server.close() also destroys idle keep-alive sockets at once, so a client that is just
// sending a request on one gets an error. Under sup's cluster mode this app still loses no request on
// `sup reload`, because sup drains its servers first (drain_http, on by default). See examples/http-draining.js
// for an app that drains by itself, wherever it runs.
import { createServer } from 'node:http';

const port = Number(process.env.PORT ?? 3000);
const server = createServer((req, res) => {
  res.end(`hello from pid ${process.pid} (instance ${process.env.NODE_APP_INSTANCE ?? 0})\n`);
});
server.listen(port, '127.0.0.1', () => console.log(`listening on http://127.0.0.1:${port}`));

function shutdown(signal) {
  console.log(`${signal}: closing the server`);
  server.close(() => process.exit(0));
}
process.on('SIGTERM', shutdown); // sup's default stop signal
process.on('SIGINT', shutdown); // PM2's
