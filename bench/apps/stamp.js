// Appends Date.now() on its first line of JS and exits: how long plain node takes from spawn to user code.
require('node:fs').appendFileSync(process.env.BENCH_TIMES, `${Date.now()}\n`);
