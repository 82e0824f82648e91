import { runOk } from '../../test/harness/run.js';
import { floorRow } from '../lib/pair.js';

export const NODE_FLOOR_ID = 'node-e-0';

/** `node -e 0`: the least any node CLI can cost on this machine. */
export const nodeNoop = (options) => runOk(process.execPath, ['-e', '0'], options);

/** Measured on its own only when the list case, which interleaves it, is not selected. */
export default {
  name: 'node-floor',
  async run({ log }, runs = 10) {
    log(`node -e 0: ${runs} runs`);
    await nodeNoop();
    const samples = [];
    for (let i = 0; i < runs; i++) samples.push((await nodeNoop()).ms);
    return [floorRow({ id: NODE_FLOOR_ID, label: '`node -e 0` (the floor of any node CLI)', unit: 'ms', samples })];
  },
};
