// A small HTTP server that shuts down gracefully: on SIGTERM (sup's default stop signal) or SIGINT
// (PM2's) it stops accepting connections, lets requests in flight finish, then exits.
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
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
