import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect } from 'vitest';
import type { SupHome } from './harness/sup-home.js';
import { waitFor } from './harness/wait.js';
import { homeEcosystem } from './helpers/apps.js';
import { it } from './helpers/sup-test.js';

const INSTANCES = 100;

/** Pings the daemon back to back until `until` resolves; the round trips in ms. */
async function pingWhile(sup: SupHome, until: Promise<unknown>): Promise<number[]> {
  const client = await sup.client();
  const times: number[] = [];
  let done = false;
  void until.finally(() => (done = true));
  while (!done) {
    const t = performance.now();
    await client.request('ping', {});
    times.push(performance.now() - t);
    await new Promise((r) => setTimeout(r, 10));
  }
  return times;
}

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))]!;
const fmt = (xs: number[]) =>
  `p50 ${pct(xs, 50).toFixed(1)} ms, p99 ${pct(xs, 99).toFixed(1)} ms, max ${Math.max(...xs).toFixed(1)} ms (${xs.length} pings)`;

describe('hooks under load', () => {
  it(`keeps the daemon responsive while ${INSTANCES} hooks fire at once`, async ({ sup, dir }) => {
    const record = join(dir, 'ran');
    const hooksFile = join(sup.home, 'hooks.json');
    // No rate limit here: every hook of the burst goes, 4 at a time (the default), each a shell reading its input.
    writeFileSync(hooksFile, JSON.stringify({ rate_limit: { burst: 1000 } }));
    const file = homeEcosystem(sup, [{ name: 'many', script: '/bin/sleep', args: ['600'], instances: INSTANCES }]);
    await sup.ok(['start', file], { timeoutMs: 120_000 });
    const lines = () => (existsSync(record) ? readFileSync(record, 'utf8').trim().split('\n').length : 0);
    const idle = await pingWhile(sup, new Promise((r) => setTimeout(r, 2000)));

    // The same restart of every instance, without hooks and then with a restart hook (100 hooks within moments).
    const measure = async (hooked: boolean) => {
      const restart = sup.ok(['restart', 'many'], { timeoutMs: 120_000 });
      const hooksDone = hooked ? waitFor(`${INSTANCES} hooks to run`, () => lines() >= INSTANCES, 120_000, lines) : undefined;
      const t0 = performance.now();
      const pings = await pingWhile(sup, Promise.all([restart, hooksDone]));
      return { pings, ms: performance.now() - t0 };
    };
    const plain = await measure(false);
    writeFileSync(
      hooksFile,
      JSON.stringify({ rate_limit: { burst: 1000 }, hooks: { restart: `cat > /dev/null; echo "$SUP_ID" >> ${record}` } }),
    );
    const hooked = await measure(true);
    console.log(`ping, idle: ${fmt(idle)}`);
    console.log(`ping while ${INSTANCES} instances restart, no hooks (${plain.ms.toFixed(0)} ms): ${fmt(plain.pings)}`);
    console.log(`ping while ${INSTANCES} instances restart and ${INSTANCES} hooks run (${hooked.ms.toFixed(0)} ms): ${fmt(hooked.pings)}`);
    expect(lines()).toBe(INSTANCES);
    expect(pct(hooked.pings, 50)).toBeLessThan(500);
    await sup.ok(['delete', 'many'], { timeoutMs: 120_000 });
  }, 300_000);
});
