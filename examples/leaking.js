// Leaks memory on purpose, to watch sup's memory limit at work: it keeps ~5 MB more every 250 ms
// (about 20 MB a second) and never frees it. Run it with a limit and sup restarts it each time the
// whole process tree's RSS crosses it (checked every 250 ms, so it overshoots by a few MB, not by GBs):
//
//   npx sup start examples/leaking.js --max-memory-restart 100M
//   npx sup list                       # the restart count grows every few seconds
//   npx sup describe leaking           # restart reason: "memory limit 100 MB exceeded: 104 MB"
//   npx sup delete leaking
//
// Without --max-memory-restart it grows until you stop it (or up to a 1 GB safety cap, then it exits).
const CHUNK_BYTES = 5 * 1024 * 1024;
const EVERY_MS = 250;
const SAFETY_CAP_BYTES = 1024 * 1024 * 1024;

const kept = [];
const mb = (bytes) => `${Math.round(bytes / 1024 / 1024)} MB`;
console.log(`leaking app ${process.pid} started`);

const timer = setInterval(() => {
  // Buffer.alloc fills the memory with zeros, so it really counts in RSS (not just reserved).
  kept.push(Buffer.alloc(CHUNK_BYTES, 1));
  const { rss } = process.memoryUsage();
  if (kept.length % 4 === 0) console.log(`rss ${mb(rss)} after keeping ${kept.length} chunks`);
  if (rss > SAFETY_CAP_BYTES) {
    console.error(`rss ${mb(rss)} is over the 1 GB safety cap; exiting`);
    process.exit(1);
  }
}, EVERY_MS);

// sup stops it with SIGTERM (PM2 with SIGINT) when the limit is crossed: exit at once.
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    clearInterval(timer);
    console.log(`${signal} at rss ${mb(process.memoryUsage().rss)}; exiting`);
    process.exit(0);
  });
}
