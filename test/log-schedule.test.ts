import { existsSync, readFileSync } from 'node:fs';
import { describe, expect } from 'vitest';
import { fixture } from './harness/paths.js';
import { waitFor } from './harness/wait.js';
import { describeApp, homeEcosystem } from './helpers/apps.js';
import { it } from './helpers/sup-test.js';

describe('log_rotate_interval', () => {
  it('rotates an app log on its schedule, losing and doubling no line', async ({ sup }) => {
    await sup.ok([
      'start',
      homeEcosystem(sup, [
        { name: 'ticker', script: fixture('log-ticker.js'), env: { TICK_MS: '50' }, log_rotate_interval: '*/2 * * * * *', log_retain: 20 },
      ]),
    ]);
    const [p] = await describeApp(sup, 'ticker');
    const out = p!.logs.out;
    await waitFor('two rotations by time', () => existsSync(`${out}.2`), 30_000);
    await sup.ok(['stop', 'ticker']);
    const files = Array.from({ length: 20 }, (_, i) => `${out}.${20 - i}`)
      .filter(existsSync)
      .concat(out);
    const ticks = files.flatMap((f) =>
      readFileSync(f, 'utf8')
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => Number(/^tick (\d+) /.exec(l)![1])),
    );
    expect(ticks.length).toBeGreaterThan(20);
    ticks.forEach((n, i) => expect(n).toBe(i + 1));
  });
});
