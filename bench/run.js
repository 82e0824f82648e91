// Benchmarks sup against PM2 (installed on the fly into a temp dir, never a dependency of sup), measured in the same
// run, alternating: CLI latency, daemon start, memory and CPU, restarts, memory limits, reloads under load, kill -9 of
// the daemon under load, cluster throughput, log bursts, stopping, and how the cost grows with 10 to 1,000 processes.
// Prints one table.
// Usage: node bench/run.js [--only <name>[,<name>…]] [--json] [--markdown] [--save <file.json>]   (after `npm run build`)
//        node bench/run.js --from <file.json> [--markdown]   (the table of a saved run)
// SUP_BENCH_QUICK=1: fewer rounds and smaller scales, a few minutes in all.
// SUP_BENCH_NODE=<path to node>: the whole run (sup, its daemon and apps, PM2, `node -e 0`) under that Node.
// SUP_BENCH_PM2=<dir>: a PM2 already installed there (npm install --prefix <dir> pm2) instead of a fresh install.
import { readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { REPO } from '../test/harness/paths.js';
import clusterThroughput from './cases/cluster-throughput.js';
import daemonKill from './cases/daemon-kill.js';
import daemonMemory from './cases/daemon-memory.js';
import firstCommand from './cases/first-command.js';
import list from './cases/list.js';
import logBurst from './cases/log-burst.js';
import memoryLimit from './cases/memory-limit.js';
import monit from './cases/monit.js';
import ownMemory from './cases/own-memory.js';
import nodeFloor, { NODE_FLOOR_ID } from './cases/node-floor.js';
import reload from './cases/reload.js';
import restartGap from './cases/restart-gap.js';
import scale from './cases/scale.js';
import stopTime from './cases/stop-time.js';
import watchCost from './cases/watch-cost.js';
import { installPm2 } from './lib/pm2.js';
import { QUICK } from './lib/quick.js';
import { environment, fromJson, normalize, renderTable, toJson } from './lib/report.js';
import { HomeRoot } from './lib/home-root.js';
import { reexecUnderBenchNode } from './lib/bench-node.js';

/** The comparison with PM2, in the order of the table. */
const CASES = [
  list,
  firstCommand,
  daemonMemory,
  ownMemory,
  restartGap,
  memoryLimit,
  reload,
  daemonKill,
  clusterThroughput,
  logBurst,
  stopTime,
  scale,
];
/** sup-only measurements (no PM2 counterpart), run only when named with --only. */
const EXTRAS = [watchCost, monit];
const ALL = [...CASES, ...EXTRAS];

const USAGE = `usage: node bench/run.js [--only <name>[,<name>…]] [--json] [--markdown] [--save <file.json>]
       node bench/run.js --from <file.json> [--markdown]
benchmarks: ${CASES.map((c) => c.name).join(', ')}
sup only, with --only: ${EXTRAS.map((c) => c.name).join(', ')}
SUP_BENCH_QUICK=1 for a short run\n`;

class UsageError extends Error {}

function options() {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        only: { type: 'string', multiple: true },
        json: { type: 'boolean', default: false },
        markdown: { type: 'boolean', default: false },
        save: { type: 'string' },
        from: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    throw new UsageError(err.message);
  }
  if (values.help) {
    process.stdout.write(USAGE);
    process.exit(0);
  }
  const only = (values.only ?? []).flatMap((o) => o.split(',')).filter(Boolean);
  const unknown = only.filter((name) => !ALL.some((c) => c.name === name));
  if (unknown.length > 0) throw new UsageError(`unknown benchmark ${unknown.join(', ')}`);
  return {
    json: values.json,
    markdown: values.markdown,
    save: values.save,
    from: values.from,
    cases: only.length > 0 ? ALL.filter((c) => only.includes(c.name)) : CASES,
  };
}

async function main() {
  if (reexecUnderBenchNode()) return;
  const { json, markdown, save, from, cases } = options();
  if (from) {
    const { rows, meta } = fromJson(JSON.parse(readFileSync(from, 'utf8')));
    process.stdout.write(`${renderTable(rows, meta, { markdown })}\n`);
    return;
  }
  const root = HomeRoot.open();

  const started = Date.now();
  const ctx = { root, log: (message) => process.stderr.write(`[${((Date.now() - started) / 1000).toFixed(1)} s] ${message}\n`) };
  const env = environment();
  ctx.log(`load average ${env.load_average.join(' ')}${QUICK ? '; QUICK mode' : ''}`);
  const rows = [];
  const failures = [];
  const runCase = async (c) => {
    // One broken benchmark still leaves the others' figures; the run then exits 1.
    try {
      rows.push(...(await c.run(ctx)).map(normalize));
    } catch (err) {
      failures.push({ benchmark: c.name, error: err instanceof Error ? err.message : String(err) });
      ctx.log(`${c.name} FAILED: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    }
  };
  let pm2;
  try {
    // Installed once, up front, so that no case's figures include the download.
    pm2 = await installPm2(root, ctx.log);
    if (pm2.unavailable) ctx.log(`PM2 not available: ${pm2.unavailable}; measuring sup alone`);
    for (const c of cases) {
      const t0 = Date.now();
      await runCase(c);
      ctx.log(
        `${c.name}: ${((Date.now() - t0) / 1000).toFixed(0)} s, load average ${loadavg()
          .map((l) => l.toFixed(2))
          .join(' ')}`,
      );
    }
    // The list case measures node -e 0 interleaved with the CLIs; without it, the table still gets its floor.
    if (!rows.some((r) => r.id === NODE_FLOOR_ID)) await runCase(nodeFloor);
  } finally {
    await root.cleanupAll();
  }
  // The floor leads the table whichever case measured it.
  const ordered = [...rows.filter((r) => r.id === NODE_FLOOR_ID), ...rows.filter((r) => r.id !== NODE_FLOOR_ID)];
  const meta = {
    environment: env,
    versions: {
      node: process.version,
      sup: JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')).version,
      pm2: pm2?.version,
      pm2_unavailable: pm2?.unavailable,
    },
    quick: QUICK,
    loadEnd: loadavg().map((l) => Math.round(l * 100) / 100),
  };
  ctx.log('done');
  if (save) writeFileSync(save, `${JSON.stringify({ ...toJson(ordered, meta), failures }, null, 2)}\n`);
  const failed = failures.map((f) => `FAILED: ${f.benchmark}: ${f.error.split('\n')[0]}`).join('\n');
  process.stdout.write(
    json
      ? `${JSON.stringify({ ...toJson(ordered, meta), failures }, null, 2)}\n`
      : `\n${renderTable(ordered, meta, { markdown })}\n${failed && `\n${failed}\n`}`,
  );
  if (failures.length > 0) process.exitCode = 1;
}

main().catch((err) => {
  if (err instanceof UsageError) {
    process.stderr.write(`bench: ${err.message}\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  process.stderr.write(`bench: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
