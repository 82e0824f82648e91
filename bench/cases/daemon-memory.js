import { isAlive, vmRssKb } from '../../test/harness/proc.js';
import { sleep } from '../../test/harness/wait.js';
import { alternate, pairRow } from '../lib/pair.js';
import { cpuPercentOver } from '../lib/proc.js';
import { pick } from '../lib/quick.js';
import { benchApp } from '../lib/home-root.js';
import { availableTools, withTool } from '../lib/tools.js';

const ROUNDS = pick(3, 1);
const INSTANCES = 50;
// Long enough for start-up garbage to be collected and for the monitors to have sampled the apps a few times.
const SETTLE_MS = 3000;
const CPU_MS = pick(5000, 3000);

/**
 * The daemon's VmRSS idle with no apps, then with 50 idle node instances (fork mode, one app), each after a settle
 * period, and its CPU while it watches those 50. One fresh daemon per round and tool, alternating sup and PM2.
 */
export default {
  name: 'daemon-memory',
  async run({ root, log }) {
    const { ids, pm2Unavailable } = await availableTools(root, log);
    log(`daemon-memory: ${ROUNDS} rounds: an idle daemon, then ${INSTANCES} idle instances, ${ids.join(' and ')} alternating`);
    const results = await alternate(ROUNDS, ids, (id) =>
      withTool(root, log, id, async (tool) => {
        await tool.run(['ping']);
        const pid = tool.daemonPid();
        if (!pid || !isAlive(pid)) throw new Error(`${id}: no live daemon pid (${pid})`);
        await sleep(SETTLE_MS);
        const empty = vmRssKb(pid) / 1024;
        await tool.startApps([{ name: 'idle', script: benchApp('idle.js'), instances: INSTANCES, exec_mode: 'fork' }]);
        await tool.waitForOnline(INSTANCES);
        await sleep(SETTLE_MS);
        const cpu = await cpuPercentOver(pid, CPU_MS);
        const fifty = vmRssKb(pid) / 1024;
        log(
          `daemon-memory: ${id}: RSS idle ${empty.toFixed(1)} MiB, with ${INSTANCES} instances ${fifty.toFixed(1)} MiB, CPU ${cpu.toFixed(1)}%`,
        );
        return { empty, fifty, cpu };
      }),
    );
    const side = (key) => (id) => (results[id] ? results[id].map((r) => r[key]) : { na: pm2Unavailable });
    return [
      pairRow({
        id: 'rss-idle',
        label: `daemon RSS, no apps (after ${SETTLE_MS / 1000} s)`,
        unit: 'MiB',
        sup: side('empty')('sup'),
        pm2: side('empty')('pm2'),
      }),
      pairRow({
        id: 'rss-50',
        label: `daemon RSS, ${INSTANCES} idle node instances`,
        unit: 'MiB',
        sup: side('fifty')('sup'),
        pm2: side('fifty')('pm2'),
      }),
      pairRow({
        id: 'cpu-50',
        label: `daemon CPU, ${INSTANCES} idle node instances (${CPU_MS / 1000} s)`,
        unit: '%',
        sup: side('cpu')('sup'),
        pm2: side('cpu')('pm2'),
      }),
    ];
  },
};
