// On SIGUSR2, writes BENCH_BURST_LINES (200,000) numbered lines of 70 bytes ("0000001 xxx…x\n") to stdout as fast as
// the pipe takes them, then idles. Until then it prints "waiting <n>" to stderr every 25 ms, so that a log follower
// can show it is attached. Its times go to BENCH_BURST_STAMPS: "ready|burst|written <ms> <pid>".
const { appendFileSync } = require('node:fs');

const LINES = Number(process.env.BENCH_BURST_LINES || 200_000);
const WIDTH = 70; // bytes per line, newline included
const PER_WRITE = 1000; // lines per write() call: 70 kB, about a pipe's capacity

const stamp = (kind) => appendFileSync(process.env.BENCH_BURST_STAMPS, `${kind} ${Date.now()} ${process.pid}\n`);

// Built before the burst, so that the burst itself only writes.
const all = Buffer.alloc(LINES * WIDTH, 'x');
for (let i = 0; i < LINES; i++) {
  all.write(String(i + 1).padStart(7, '0'), i * WIDTH, 'latin1');
  all[i * WIDTH + 7] = 0x20;
  all[i * WIDTH + WIDTH - 1] = 0x0a;
}

let waiting = 0;
const ping = setInterval(() => process.stderr.write(`waiting ${++waiting}\n`), 25);
setInterval(() => {}, 1 << 30); // idles after the burst until stopped

let started = false;
process.on('SIGUSR2', () => {
  if (started) return;
  started = true;
  clearInterval(ping);
  stamp('burst');
  let line = 0;
  const next = () => {
    // Writes until the stream buffers (a pipe that is full), then resumes on 'drain'.
    while (line < LINES) {
      const end = Math.min(line + PER_WRITE, LINES);
      const ok = process.stdout.write(all.subarray(line * WIDTH, end * WIDTH));
      line = end;
      if (!ok) return process.stdout.once('drain', next);
    }
    // The last chunk has left for the pipe once its callback runs.
    process.stdout.write('', () => stamp('written'));
  };
  next();
});
stamp('ready');
