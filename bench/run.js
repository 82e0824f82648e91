// Benchmarks sup's CLI, daemon start, daemon memory and restart speed against the `node -e 0` floor, and its cluster
// reloads (lost requests, time), cluster throughput, memory limit, file watching and monitoring costs (the load cases need wrk).
// Usage: node bench/run.js [--only <name>[,<name>…]] [--json]   (after `npm run build`)
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import clusterThroughput from './cases/cluster-throughput.js';
import daemonRss from './cases/daemon-rss.js';
import firstCommand from './cases/first-command.js';
import logBurst from './cases/log-burst.js';
import memoryLimit from './cases/memory-limit.js';
import monit from './cases/monit.js';
import monitorCost from './cases/monitor-cost.js';
import nodeFloor, { NODE_FLOOR_ID } from './cases/node-floor.js';
import reloadLoss from './cases/reload-loss.js';
import reloadTime from './cases/reload-time.js';
import restartGap from './cases/restart-gap.js';
import warmList from './cases/warm-list.js';
import watchCost from './cases/watch-cost.js';
import { renderTable, toJson, withRatios } from './lib/report.js';
import { HomeRoot, REPO } from './lib/sup-home.js';

const CASES = [warmList, firstCommand, daemonRss, restartGap, reloadTime, reloadLoss, clusterThroughput, memoryLimit, watchCost, monitorCost, logBurst, monit];

const USAGE = `usage: node bench/run.js [--only <name>[,<name>…]] [--json]\nbenchmarks: ${CASES.map((c) => c.name).join(', ')}\n`;

class UsageError extends Error {}

function options() {
  let values;
  try {
    ({ values } = parseArgs({
      options: { only: { type: 'string', multiple: true }, json: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h' } },
    }));
  } catch (err) {
    throw new UsageError(err.message);
  }
  if (values.help) {
    process.stdout.write(USAGE);
    process.exit(0);
  }
  const only = (values.only ?? []).flatMap((o) => o.split(',')).filter(Boolean);
  const unknown = only.filter((name) => !CASES.some((c) => c.name === name));
  if (unknown.length > 0) throw new UsageError(`unknown benchmark ${unknown.join(', ')}`);
  return { json: values.json, cases: only.length > 0 ? CASES.filter((c) => only.includes(c.name)) : CASES };
}

async function main() {
  const { json, cases } = options();
  if (!existsSync(join(REPO, 'dist/bin/sup.js'))) throw new Error('dist/ is missing; run `npm run build` first (or `npm run bench`)');
  const root = new HomeRoot();
  // Ctrl-C still ends every process the run started.
  const onSignal = (signal) => {
    process.stderr.write(`\n${signal}: cleaning up\n`);
    root.cleanupAll().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const started = Date.now();
  const ctx = { root, log: (message) => process.stderr.write(`[${((Date.now() - started) / 1000).toFixed(1)} s] ${message}\n`) };
  const rows = [];
  const failures = [];
  const runCase = async (c) => {
    // One broken benchmark still leaves the others' figures; the run then exits 1.
    try {
      rows.push(...(await c.run(ctx)));
    } catch (err) {
      failures.push({ benchmark: c.name, error: err instanceof Error ? err.message : String(err) });
      ctx.log(`${c.name} FAILED: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    }
  };
  try {
    for (const c of cases) await runCase(c);
    // The list case measures node -e 0 interleaved with itself; without it, the ratios need a floor of their own.
    if (!rows.some((r) => r.id === NODE_FLOOR_ID)) await runCase(nodeFloor);
  } finally {
    await root.cleanupAll();
  }
  const floorMs = rows.find((r) => r.id === NODE_FLOOR_ID)?.median;
  // The floor leads the table whichever case measured it.
  const results = withRatios([...rows.filter((r) => r.id === NODE_FLOOR_ID), ...rows.filter((r) => r.id !== NODE_FLOOR_ID)], floorMs);
  ctx.log('done');
  const failed = failures.map((f) => `FAILED: ${f.benchmark}: ${f.error.split('\n')[0]}`).join('\n');
  process.stdout.write(json ? `${JSON.stringify({ ...toJson(results, floorMs), failures }, null, 2)}\n` : `\n${renderTable(results)}\n${failed && `\n${failed}\n`}`);
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
