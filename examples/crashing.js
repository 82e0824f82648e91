// Crashes a moment after it starts, to watch sup's restart policy: immediate restart, then backoff, then "errored".
console.log(`crashing app ${process.pid} started; crashing in 300 ms`);
setTimeout(() => {
  throw new Error('something went wrong');
}, 300);
