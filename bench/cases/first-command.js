import { alternate, pairRow } from '../lib/pair.js';
import { pick } from '../lib/quick.js';
import { availableTools, withTool } from '../lib/tools.js';

const RUNS = pick(5, 3);

/**
 * `sup ping` / `pm2 ping` in a fresh home: the CLI, spawning the daemon and waiting for it to answer. Each run
 * gets a new home, alternating which tool goes first; a first unmeasured run of each brings the daemons' modules
 * into the page cache.
 */
export default {
  name: 'first-command',
  async run({ root, log }) {
    const { ids, pm2Unavailable } = await availableTools(root, log);
    log(`first-command: 1 warm-up + ${RUNS} runs of \`ping\` in new homes, alternating ${ids.join(' and ')}`);
    const once = (id) => withTool(root, log, id, async (tool) => (await tool.run(['ping'])).ms);
    await alternate(1, ids, once);
    const samples = await alternate(RUNS, ids, once);
    return [
      pairRow({
        id: 'first-command',
        label: 'first command incl. daemon start (`ping`)',
        unit: 'ms',
        sup: samples.sup,
        pm2: samples.pm2 ?? { na: pm2Unavailable },
      }),
    ];
  },
};
