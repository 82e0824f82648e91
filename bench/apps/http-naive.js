// An HTTP app that shuts down the way most tutorials show: on the stop signal (SIGTERM for sup, SIGINT for PM2),
// server.close(), then exit. Since Node 19 server.close() also destroys idle keep-alive sockets at once, so a client
// sending a request on one just then gets an error, unless the supervisor drains the worker first.
// A CommonJS copy of examples/http-naive.js, so that both supervisors run it the same way in cluster mode.
const { createServer } = require('node:http');

const server = createServer((req, res) => res.end(`hello from pid ${process.pid}\n`));
server.listen(Number(process.env.PORT), '127.0.0.1');
const shutdown = () => server.close(() => process.exit(0));
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
