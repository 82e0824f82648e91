// Random interleavings of commands (opt-in, not part of `npm test`): start, restart, reload, stop, delete, scale sent
// concurrently against crash-looping, slow-starting and stubborn apps in fork and cluster mode, for --seconds (default
// 120). Every command must be answered within its bound, `sup kill` must end everything, nothing may be left running.
// The same driver runs for 8 s in test/interleavings.test.ts.
// Usage: node bench/interleave.js [--seconds 120] [--seed N] [--in-flight 4]
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadEcosystem } from '../dist/config/load.js';
import { freePorts } from '../test/harness/http.js';
import { hangBoundMs, interleave, interleaveApps } from '../test/harness/interleave.js';
import { pidsWithSupHome } from '../test/harness/proc.js';
import { seedFrom } from '../test/harness/random.js';
import { waitFor } from '../test/harness/wait.js';
import { HomeRoot } from './lib/home-root.js';

const { values: opts } = parseArgs({
  options: { seconds: { type: 'string', default: '120' }, seed: { type: 'string' }, 'in-flight': { type: 'string', default: '4' } },
});
const seed = opts.seed !== undefined ? Number(opts.seed) >>> 0 : seedFrom('SUP_INTERLEAVE_SEED');
const inFlight = Number(opts['in-flight']);
const boundMs = hangBoundMs(inFlight);

const root = HomeRoot.open();
let failed = false;
try {
  const home = root.create();
  const file = join(root.scratchDir(), 'ecosystem.json');
  writeFileSync(file, JSON.stringify({ apps: interleaveApps(await freePorts()) }));
  const { apps } = await loadEcosystem(file);
  await home.ok(['start', file]);
  const client = await home.client();
  console.log(`interleave: seed ${seed}, ${opts.seconds} s, ${inFlight} in flight, bound ${boundMs} ms`);
  const result = await interleave({
    request: (type, body) => client.request(type, body),
    apps,
    seed,
    durationMs: Number(opts.seconds) * 1000,
    boundMs,
    inFlight,
    env: home.env(),
  });
  const byType = {};
  for (const d of result.done) (byType[d.type] ??= []).push(d.ms);
  for (const [type, times] of Object.entries(byType)) {
    times.sort((a, b) => a - b);
    console.log(
      `  ${type.padEnd(14)} ${String(times.length).padStart(5)} commands, median ${times[times.length >> 1]} ms, max ${times.at(-1)} ms`,
    );
  }
  const t0 = Date.now();
  await home.ok(['kill'], { timeoutMs: 60_000 });
  console.log(`  sup kill: ${Date.now() - t0} ms`);
  await waitFor('nothing left', () => pidsWithSupHome((h) => h === home.home).length === 0, 10_000).catch(() => (failed = true));
  if (result.hung.length > 0) {
    failed = true;
    console.log(`HUNG (no answer within ${boundMs} ms): ${JSON.stringify(result.hung)}`);
  }
  console.log(failed ? `FAILED (replay with --seed ${seed})` : `ok: ${result.done.length} commands, none hung, nothing left running`);
} finally {
  await root.cleanupAll();
}
process.exitCode = failed ? 1 : 0;
