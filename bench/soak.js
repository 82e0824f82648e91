// Crash-loop soak (opt-in, not part of `npm test`): an app that exits as soon as it starts, restarted as fast as the
// restart policy allows (min_uptime 0: every run counts as stable, so each restart is immediate), for N minutes or
// until it has been restarted M times. Samples the daemon's VmRSS and reports how much it grew; the target is < 1 MB.
// With no options it runs #22's 10,000 restarts (about 25 min on a quiet 2-core machine, 6.5 restarts/s; at most 40),
// sampling every second so that each minute's lowest reading is one taken after a collection.
// Usage: node bench/soak.js [--minutes 40] [--restarts 10000] [--sample-seconds 1] [--json]   (after `npm run build`)
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fixture } from '../test/harness/paths.js';
import { cmdline, pidsWithSupHome, vmRssKb } from '../test/harness/proc.js';
import { sleep, waitFor } from '../test/harness/wait.js';
import { HomeRoot } from './lib/home-root.js';

const TARGET_MB = 1;
// Start-up garbage, the first lazily compiled paths and the metrics history filling up are not growth.
const WARMUP_MS = 30_000;

const { values: opts } = parseArgs({
  options: {
    minutes: { type: 'string', default: '40' },
    restarts: { type: 'string', default: '10000' },
    'sample-seconds': { type: 'string', default: '1' },
    json: { type: 'boolean', default: false },
  },
});
const durationMs = Number(opts.minutes) * 60_000;
const maxRestarts = Number(opts.restarts);
const sampleMs = Number(opts['sample-seconds']) * 1000;

const mb = (kb) => kb / 1024;
const fmt = (x, digits = 1) => x.toFixed(digits);
const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** Least-squares slope of y over x. */
function slope(points) {
  const mx = mean(points.map((p) => p.x));
  const my = mean(points.map((p) => p.y));
  const num = points.reduce((a, p) => a + (p.x - mx) * (p.y - my), 0);
  const den = points.reduce((a, p) => a + (p.x - mx) ** 2, 0);
  return den === 0 ? 0 : num / den;
}

async function main() {
  const root = HomeRoot.open();
  try {
    const home = root.create();
    const ecosystem = join(root.scratchDir(), 'soak.json');
    const app = {
      name: 'crashloop',
      script: fixture('crash.js'),
      min_uptime: 0,
      max_restarts: 1_000_000,
      env: { CRASH_CODE: '1', CRASH_AFTER_MS: '0' },
    };
    writeFileSync(ecosystem, JSON.stringify({ apps: [app] }));
    await home.ok(['start', ecosystem]);
    const daemon = home.daemonPid();
    const client = await home.client();
    const restarts = async () => (await client.request('list', {})).processes.reduce((n, p) => n + p.restarts, 0);

    const t0 = Date.now();
    const samples = [];
    process.stderr.write(
      `soak: crash loop for ${opts.minutes} min or ${maxRestarts} restarts, daemon pid ${daemon}, sampling every ${sampleMs / 1000} s\n`,
    );
    for (;;) {
      const sample = { t: Date.now() - t0, rssKb: vmRssKb(daemon), restarts: await restarts() };
      samples.push(sample);
      process.stderr.write(`  t=${fmt(sample.t / 1000, 0)} s  restarts=${sample.restarts}  rss=${fmt(mb(sample.rssKb))} MB\n`);
      if (sample.t >= durationMs || sample.restarts >= maxRestarts) break;
      await sleep(sampleMs);
    }
    await client.request('stop', { targets: ['crashloop'] });
    await waitFor(
      'the crash loop to stop',
      async () => (await client.request('list', {})).processes.every((p) => p.status === 'stopped'),
      10_000,
    );
    const leftovers = pidsWithSupHome((h) => h === home.home).filter((pid) => cmdline(pid).includes('crash.js'));
    const daemonLogLines = readFileSync(join(home.home, 'daemon.log'), 'utf8').split('\n').length - 1;

    // RSS saws up and down with each garbage collection: what a leak moves is the troughs (the lowest sample of
    // each minute), so growth is the last minute's trough minus the first minute's after warm-up.
    const settled = samples.filter((s) => s.t >= WARMUP_MS);
    const window = settled.length >= 4 ? settled : samples;
    const firstMinute = window.filter((s) => s.t < window[0].t + 60_000);
    const lastMinute = window.filter((s) => s.t > window.at(-1).t - 60_000);
    const trough = (xs) => Math.min(...xs.map((s) => s.rssKb));
    const troughs = [];
    for (let from = window[0].t; from <= window.at(-1).t; from += 60_000) {
      const minute = window.filter((s) => s.t >= from && s.t < from + 60_000);
      if (minute.length > 0) troughs.push(Number(fmt(mb(trough(minute)), 1)));
    }
    const last = samples.at(-1);
    const report = {
      minutes: last.t / 60_000,
      restarts: last.restarts,
      restartsPerSecond: last.restarts / (last.t / 1000),
      rssStartMb: mb(samples[0].rssKb),
      rssAfterWarmupMb: mb(mean(firstMinute.map((s) => s.rssKb))),
      rssLastMinuteMb: mb(mean(lastMinute.map((s) => s.rssKb))),
      rssMinMb: mb(Math.min(...window.map((s) => s.rssKb))),
      rssMaxMb: mb(Math.max(...window.map((s) => s.rssKb))),
      troughsPerMinuteMb: troughs,
      meanGrowthMb: mb(mean(lastMinute.map((s) => s.rssKb)) - mean(firstMinute.map((s) => s.rssKb))),
      growthMb: mb(trough(lastMinute) - trough(firstMinute)),
      slopeMbPer1000Restarts: mb(slope(window.map((s) => ({ x: s.restarts / 1000, y: s.rssKb })))),
      leftoverProcesses: leftovers.length,
      daemonLogLines,
      samples: samples.map((s) => ({ t: s.t, rssMb: Number(fmt(mb(s.rssKb), 2)), restarts: s.restarts })),
    };
    if (opts.json) {
      process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    } else {
      process.stdout.write(
        [
          `crash-loop soak: ${fmt(report.minutes)} min, ${report.restarts} restarts (${fmt(report.restartsPerSecond)}/s)`,
          `daemon RSS: ${fmt(report.rssStartMb)} MB at start, ${fmt(report.rssAfterWarmupMb)} MB after warm-up (first minute after ${WARMUP_MS / 1000} s), ${fmt(report.rssLastMinuteMb)} MB over the last minute`,
          `            min ${fmt(report.rssMinMb)} MB, max ${fmt(report.rssMaxMb)} MB after warm-up; trend ${fmt(report.slopeMbPer1000Restarts, 2)} MB per 1000 restarts`,
          `lowest RSS of each minute after warm-up: ${report.troughsPerMinuteMb.join(', ')} MB`,
          `growth (trough of the last minute - trough of the first): ${fmt(report.growthMb, 2)} MB (target < ${TARGET_MB} MB): ${report.growthMb < TARGET_MB ? 'ok' : 'OVER TARGET'}; of the means: ${fmt(report.meanGrowthMb, 2)} MB`,
          `leftover app processes after stop: ${report.leftoverProcesses}; daemon.log lines: ${report.daemonLogLines}`,
          '',
        ].join('\n'),
      );
    }
    process.exitCode = report.growthMb < TARGET_MB && report.leftoverProcesses === 0 ? 0 : 1;
  } finally {
    await root.cleanupAll();
  }
}

main().catch((err) => {
  process.stderr.write(`${err.stack ?? err.message}\n`);
  process.exitCode = 1;
});
