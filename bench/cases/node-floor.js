import { summarize } from '../lib/stats.js';
import { timedRun } from '../lib/proc.js';

export const NODE_FLOOR_ID = 'node-e-0';

/** `node -e 0`: the least any node CLI can cost on this machine; every time is also shown as a multiple of it. */
export const nodeNoop = () => timedRun(process.execPath, ['-e', '0']);

export function nodeFloorRow(samples) {
  return { id: NODE_FLOOR_ID, label: 'node -e 0 (the floor)', unit: 'ms', ...summarize(samples) };
}

/** Measured on its own only when the warm-list case, which interleaves it, is not selected. */
export default {
  name: 'node-floor',
  async run({ log }, runs = 10) {
    log(`node -e 0: ${runs} runs`);
    await nodeNoop();
    const samples = [];
    for (let i = 0; i < runs; i++) samples.push((await nodeNoop()).ms);
    return [nodeFloorRow(samples)];
  },
};
