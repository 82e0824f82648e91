// Leaks 10 MB of filled (so resident) memory every 50 ms, capped at 800 MB, and logs to BENCH_MEM_LOG:
// "start|term|exit <ms> <pid>" and, after each allocation, "rss <ms> <pid> <bytes>", so that the bench sees
// when it crossed a limit, how far it got and when the supervisor stopped it.
const { appendFileSync } = require('node:fs');

const file = process.env.BENCH_MEM_LOG;
const stamp = (line) => appendFileSync(file, `${line}\n`);
stamp(`start ${Date.now()} ${process.pid}`);
const held = [];
setInterval(() => {
  if (held.length < 80) held.push(Buffer.alloc(10 * 1024 * 1024, 1));
  stamp(`rss ${Date.now()} ${process.pid} ${process.memoryUsage.rss()}`);
}, 50);
// sup stops with SIGTERM, PM2 with SIGINT.
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    stamp(`term ${Date.now()} ${process.pid}`);
    process.exit(0);
  });
}
process.on('exit', () => stamp(`exit ${Date.now()} ${process.pid}`));
