// Appends "start <ms> <pid>" on its first line of JS and "exit <ms> <pid>" just before exiting with code 1.
// Living ~1.2 s (BENCH_UPTIME_MS) keeps each run above sup's default min_uptime of 1000 ms, so sup restarts it at once.
const { appendFileSync } = require('node:fs');
const file = process.env.BENCH_TIMES;
appendFileSync(file, `start ${Date.now()} ${process.pid}\n`);
setTimeout(
  () => {
    appendFileSync(file, `exit ${Date.now()} ${process.pid}\n`);
    process.exit(1);
  },
  Number(process.env.BENCH_UPTIME_MS ?? 1200),
);
