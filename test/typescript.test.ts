import { join } from 'node:path';
import { describe, expect } from 'vitest';
import { typeScriptSupport } from '../src/config/app-runner.js';
import { get, freePorts } from './harness/http.js';
import { REPO } from './harness/paths.js';
import { waitFor } from './harness/wait.js';
import { it } from './helpers/sup-test.js';

describe('TypeScript apps', () => {
  const support = typeScriptSupport();
  it(`runs server.ts in fork and cluster mode, reload included (${support === 'none' ? "the project's tsx" : "Node's type stripping"})`, async ({
    sup,
  }) => {
    const port = await freePorts(1);
    await sup.ok(['start', join(REPO, 'test/fixtures/ts/server.ts'), '--name', 'ts', '-i', '2'], { env: { PORT: String(port) } });
    const before = await sup.waitForStatus('ts', 'online');
    expect(before.map((p) => p.mode)).toEqual(['cluster', 'cluster']);
    const answer = await waitFor('an answer', async () => (await get(port).catch(() => undefined))?.body);
    expect(JSON.parse(answer)).toHaveProperty('pid');
    await sup.ok(['reload', 'ts']);
    const after = await sup.waitForStatus('ts', 'online');
    expect(after.every((p) => !before.some((b) => b.pid === p.pid))).toBe(true);
    await sup.ok(['start', join(REPO, 'test/fixtures/ts/server.ts'), '--name', 'ts-fork', '-x'], { env: { PORT: '0' } });
    await sup.waitForStatus('ts-fork', 'online');
  });
});
