// The baseline for sup's cluster mode: a plain node:cluster primary running BENCH_WORKERS (2) workers of
// http-hello.js. Prints "ready <worker pids>" once all listen; on SIGTERM stops its workers, then exits.
const cluster = require('node:cluster');

const count = Number(process.env.BENCH_WORKERS ?? 2);
cluster.setupPrimary({ exec: require.resolve('./http-hello.js') });
const workers = Array.from({ length: count }, () => cluster.fork());
let listening = 0;
cluster.on('listening', () => {
  if (++listening === count) console.log(`ready ${workers.map((w) => w.process.pid).join(' ')}`);
});
process.on('SIGTERM', () => {
  workers.forEach((w) => w.process.kill('SIGKILL'));
  process.exit(0);
});
