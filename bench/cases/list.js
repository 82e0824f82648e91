import { benchApp } from '../lib/home-root.js';
import { floorRow, pairRow } from '../lib/pair.js';
import { pick } from '../lib/quick.js';
import { openTools } from '../lib/tools.js';
import { NODE_FLOOR_ID, nodeNoop } from './node-floor.js';

const RUNS = pick(15, 5);
const WARMUP = 2;

/**
 * Warm `list` (the table) and the JSON list (`sup list --json`, `pm2 jlist`) against a running daemon with one idle
 * app, interleaved with `node -e 0`, the least any node CLI costs: node, sup, PM2, rotated each round.
 */
export default {
  name: 'list',
  async run({ root, log }) {
    const t = await openTools(root, log);
    try {
      log(`list: starting one idle app under ${t.ids.join(' and ')}`);
      for (const id of t.ids) {
        await t.get(id).startApps([{ name: 'idle', script: benchApp('idle.js') }]);
        await t.get(id).waitForStatus('idle', 'online');
      }
      const contenders = { node: nodeNoop, 'sup-list': () => t.sup.run(['list']), 'sup-json': () => t.sup.run(['list', '--json']) };
      if (t.pm2) Object.assign(contenders, { 'pm2-list': () => t.pm2.run(['list']), 'pm2-json': () => t.pm2.run(['jlist']) });
      const order = Object.keys(contenders);
      for (let i = 0; i < WARMUP; i++) for (const key of order) await contenders[key]();

      log(`list: ${RUNS} rounds of ${order.join(', ')}, rotated`);
      const samples = Object.fromEntries(order.map((k) => [k, []]));
      for (let round = 0; round < RUNS; round++) {
        for (let k = 0; k < order.length; k++) {
          const key = order[(round + k) % order.length];
          samples[key].push((await contenders[key]()).ms);
        }
      }
      return [
        floorRow({ id: NODE_FLOOR_ID, label: '`node -e 0` (the floor of any node CLI)', unit: 'ms', samples: samples.node }),
        pairRow({ id: 'list', label: 'warm `list`, 1 app', unit: 'ms', sup: samples['sup-list'], pm2: t.pm2Side(samples['pm2-list']) }),
        pairRow({
          id: 'list-json',
          label: 'warm `list --json` / `pm2 jlist`, 1 app',
          unit: 'ms',
          sup: samples['sup-json'],
          pm2: t.pm2Side(samples['pm2-json']),
        }),
      ];
    } finally {
      await t.close();
    }
  },
};
