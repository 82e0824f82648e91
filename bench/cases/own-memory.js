import { readFileSync } from 'node:fs';
import { isAlive } from '../../test/harness/proc.js';
import { sleep } from '../../test/harness/wait.js';
import { benchApp } from '../lib/home-root.js';
import { alternate, pairRow } from '../lib/pair.js';
import { pick } from '../lib/quick.js';
import { availableTools, withTool } from '../lib/tools.js';

const ROUNDS = pick(3, 1);
// Long enough for start-up garbage to be collected and for the monitors to have sampled the apps a few times.
const SETTLE_MS = 5000;

/** Proportional set size in KiB (/proc/<pid>/smaps_rollup): the node binary's shared pages count once across processes. */
export function pssKb(pid) {
  const text = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
  const match = /^Pss:\s+(\d+) kB/m.exec(text);
  if (!match) throw new Error(`no Pss line in /proc/${pid}/smaps_rollup`);
  return Number(match[1]);
}

const idle = (name, over = {}) => ({ name, script: benchApp('idle.js'), ...over });

/** The mixes of #17: one app; 5 cluster apps × 2 instances + 5 fork apps; 50 fork apps. */
const MIXES = [
  { id: '1', label: '1 fork app', apps: () => [idle('a')] },
  {
    id: 'mix',
    label: '5 cluster apps × 2 + 5 fork apps',
    apps: () => [
      ...[1, 2, 3, 4, 5].map((i) => idle(`c${i}`, { exec_mode: 'cluster', instances: 2 })),
      ...[1, 2, 3, 4, 5].map((i) => idle(`f${i}`)),
    ],
  },
  { id: '50', label: '50 fork apps', apps: () => Array.from({ length: 50 }, (_, i) => idle(`f${i}`)), full: true },
].filter((m) => pick(true, !m.full));

/** sup's own processes: the daemon and its keeper (the parent of every app); PM2's: its daemon. */
function ownPids(id, tool) {
  const pids = [tool.daemonPid()];
  if (id === 'sup') pids.push(tool.home.keeperPid());
  for (const pid of pids) if (!pid || !isAlive(pid)) throw new Error(`${id}: one of its own processes is not running (${pids})`);
  return pids;
}

/**
 * The PSS of the supervisor's own processes (sup: daemon + keeper; PM2: its daemon, which is also the cluster primary)
 * with idle apps, after a settle period; a fresh home per mix, round and tool, alternating sup and PM2.
 */
export default {
  name: 'own-memory',
  async run({ root, log }) {
    const { ids, pm2Unavailable } = await availableTools(root, log);
    log(`own-memory: ${ROUNDS} rounds of ${MIXES.map((m) => m.label).join('; ')}, ${ids.join(' and ')} alternating`);
    const rows = [];
    for (const mix of MIXES) {
      const apps = mix.apps();
      const count = apps.reduce((n, a) => n + (a.instances ?? 1), 0);
      const results = await alternate(ROUNDS, ids, (id) =>
        withTool(root, log, id, async (tool) => {
          await tool.startApps(apps);
          await tool.waitForOnline(count);
          await sleep(SETTLE_MS);
          const pids = ownPids(id, tool);
          const each = pids.map((pid) => pssKb(pid) / 1024);
          const total = each.reduce((a, b) => a + b, 0);
          log(`own-memory: ${mix.label}: ${id}: PSS ${each.map((v) => v.toFixed(1)).join(' + ')} = ${total.toFixed(1)} MiB`);
          return { total, daemon: each[0], keeper: each[1] };
        }),
      );
      const side = (key) => (id) => (results[id] ? results[id].map((r) => r[key]) : { na: pm2Unavailable });
      rows.push(
        pairRow({
          id: `own-pss-${mix.id}`,
          label: `sup's own PSS (daemon + keeper) vs PM2 daemon, ${mix.label}`,
          unit: 'MiB',
          sup: side('total')('sup'),
          pm2: side('total')('pm2'),
        }),
      );
      if (mix.id === 'mix') {
        for (const part of ['daemon', 'keeper']) {
          rows.push(
            pairRow({
              id: `own-pss-${part}`,
              label: `  of which sup's ${part}, ${mix.label}`,
              unit: 'MiB',
              sup: side(part)('sup'),
              pm2: { na: 'sup only' },
            }),
          );
        }
      }
    }
    return rows;
  },
};
