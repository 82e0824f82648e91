import { summarize } from '../lib/stats.js';

const RUNS = 5;

/** `sup ping` in a fresh SUP_HOME: the CLI, spawning the daemon, and waiting for it to answer. */
export default {
  name: 'first-command',
  async run({ root, log }) {
    log(`first-command: 1 warm-up + ${RUNS} runs of sup ping, each in a new home`);
    const samples = [];
    for (let i = 0; i <= RUNS; i++) {
      const home = root.create();
      try {
        const { ms, stdout } = await home.sup(['ping']);
        if (!stdout.startsWith('pong')) throw new Error(`unexpected ping output: ${stdout}`);
        // The first run only brings the daemon's modules into the page cache.
        if (i > 0) samples.push(ms);
      } finally {
        await root.release(home);
      }
    }
    return [{ id: 'first-command', label: 'first command incl. daemon start (`sup ping`)', unit: 'ms', ...summarize(samples) }];
  },
};
