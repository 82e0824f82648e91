// A background worker: does a unit of work every second and finishes the current one before exiting.
let stopping = false;
let jobs = 0;

async function loop() {
  while (!stopping) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    jobs += 1;
    console.log(`job ${jobs} done`);
  }
  console.log(`stopping after ${jobs} jobs`);
  process.exit(0);
}

process.on('SIGTERM', () => (stopping = true));
process.on('SIGINT', () => (stopping = true));
loop();
