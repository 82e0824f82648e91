import { benchApp } from '../lib/sup-home.js';
import { summarize } from '../lib/stats.js';
import { nodeFloorRow, nodeNoop } from './node-floor.js';

const RUNS = 15;
const WARMUP = 2;

/** `sup list` and `sup list --json` against a running daemon with one app, interleaved with `node -e 0`. */
export default {
  name: 'list',
  async run({ root, log }) {
    const home = root.create();
    try {
      log('list: starting a daemon with one app');
      await home.sup(['start', benchApp('idle.js'), '--name', 'idle']);
      await home.waitForStatus('idle', 'online');

      const contenders = {
        node: nodeNoop,
        list: () => home.sup(['list']),
        json: () => home.sup(['list', '--json']),
      };
      for (let i = 0; i < WARMUP; i++) for (const run of Object.values(contenders)) await run();
      const listed = JSON.parse((await contenders.json()).stdout);
      if (!listed.some((p) => p.name === 'idle' && p.status === 'online')) throw new Error(`idle is not online: ${JSON.stringify(listed)}`);

      log(`list: ${RUNS} interleaved rounds of node -e 0, sup list, sup list --json`);
      const samples = { node: [], list: [], json: [] };
      const order = Object.keys(contenders);
      for (let round = 0; round < RUNS; round++) {
        // Rotate who goes first, so that no contender always runs right after the same neighbour.
        for (let k = 0; k < order.length; k++) {
          const key = order[(round + k) % order.length];
          samples[key].push((await contenders[key]()).ms);
        }
      }
      return [
        nodeFloorRow(samples.node),
        { id: 'list', label: 'warm `sup list` (1 app)', unit: 'ms', ...summarize(samples.list) },
        { id: 'list-json', label: 'warm `sup list --json` (1 app)', unit: 'ms', ...summarize(samples.json) },
      ];
    } finally {
      await root.release(home);
    }
  },
};
