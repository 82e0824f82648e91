import { alternate, pairRow } from '../lib/pair.js';
import { pick } from '../lib/quick.js';
import { availableTools, withTool } from '../lib/tools.js';
import { nodeNoop } from './node-floor.js';

const RUNS = pick(7, 3);

/**
 * `sup ping` / `pm2 ping` in a fresh home: the CLI, spawning the daemon and waiting for it to answer. Each run
 * gets a new home, alternating which tool goes first; a first unmeasured run of each brings the daemons' modules
 * into the page cache. A `node -e 0` in each round gives the ratio to the floor in the same moment: on a machine whose
 * speed drifts by a third within minutes (a shared VM), a floor measured apart made the ratio swing by as much.
 */
export default {
  name: 'first-command',
  async run({ root, log }) {
    const { ids, pm2Unavailable } = await availableTools(root, log);
    const contenders = [...ids, 'node'];
    log(`first-command: 1 warm-up + ${RUNS} rounds of \`ping\` in new homes and \`node -e 0\`, alternating ${contenders.join(', ')}`);
    const once = async (id) =>
      id === 'node' ? (await nodeNoop()).ms : withTool(root, log, id, async (tool) => (await tool.run(['ping'])).ms);
    await alternate(1, contenders, once);
    const samples = await alternate(RUNS, contenders, once);
    const ratio = (id) => samples[id]?.map((ms, round) => ms / samples.node[round]);
    return [
      pairRow({
        id: 'first-command',
        label: 'first command incl. daemon start (`ping`)',
        unit: 'ms',
        sup: samples.sup,
        pm2: samples.pm2 ?? { na: pm2Unavailable },
      }),
      pairRow({
        id: 'first-command-ratio',
        label: 'first command ÷ `node -e 0` of the same round',
        unit: '×',
        sup: ratio('sup'),
        pm2: ratio('pm2') ?? { na: pm2Unavailable },
      }),
    ];
  },
};
