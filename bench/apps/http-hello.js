// The smallest useful HTTP app: "ok" on PORT at 127.0.0.1. Run by sup in cluster mode or by bare-cluster.js.
require('node:http')
  .createServer((req, res) => res.end('ok\n'))
  .listen(Number(process.env.PORT), '127.0.0.1');
