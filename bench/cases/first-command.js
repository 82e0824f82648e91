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
 * Where NODE_EXTRA_CA_CERTS is set (Node 20 parses that file at every start: ~35 ms of `node -e 0` with a system
 * bundle), the rounds run again without it, so that the table says what it is worth.
 */
export default {
  name: 'first-command',
  async run({ root, log }) {
    const { ids, pm2Unavailable } = await availableTools(root, log);
    const contenders = [...ids, 'node'];
    const variants = process.env.NODE_EXTRA_CA_CERTS ? [undefined, { NODE_EXTRA_CA_CERTS: '' }] : [undefined];
    const rows = [];
    for (const env of variants) {
      const unset = env ? ', NODE_EXTRA_CA_CERTS unset' : '';
      log(
        `first-command: 1 warm-up + ${RUNS} rounds of \`ping\` in new homes and \`node -e 0\`${unset}, alternating ${contenders.join(', ')}`,
      );
      const once = async (id) =>
        id === 'node'
          ? (await nodeNoop(env && { env: { ...process.env, ...env } })).ms
          : withTool(root, log, id, async (tool) => (await tool.run(['ping'], { env })).ms);
      await alternate(1, contenders, once);
      const samples = await alternate(RUNS, contenders, once);
      const ratio = (id) => samples[id]?.map((ms, round) => ms / samples.node[round]);
      const suffix = env ? '-no-extra-ca' : '';
      rows.push(
        pairRow({
          id: `first-command${suffix}`,
          label: `first command incl. daemon start (\`ping\`)${unset}`,
          unit: 'ms',
          sup: samples.sup,
          pm2: samples.pm2 ?? { na: pm2Unavailable },
        }),
        pairRow({
          id: `first-command-ratio${suffix}`,
          label: `first command ÷ \`node -e 0\` of the same round${unset}`,
          unit: '×',
          sup: ratio('sup'),
          pm2: ratio('pm2') ?? { na: pm2Unavailable },
        }),
      );
    }
    return rows;
  },
};
