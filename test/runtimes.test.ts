import { existsSync } from 'node:fs';
import { describe, expect } from 'vitest';
import { freePorts, get } from './harness/http.js';
import { fixture } from './harness/paths.js';
import { waitForLogLine } from './helpers/apps.js';
import { it } from './helpers/sup-test.js';

/**
 * Bun and Deno as interpreters in fork mode. CI installs both (.ci/run) and points SUP_TEST_BUN and SUP_TEST_DENO at
 * them; without them these tests are skipped, with the reason in their title.
 */
const runtimes = [
  { name: 'bun', bin: process.env.SUP_TEST_BUN },
  { name: 'deno', bin: process.env.SUP_TEST_DENO },
];

describe('Bun and Deno apps', () => {
  for (const { name, bin } of runtimes) {
    const available = bin !== undefined && existsSync(bin);
    it.skipIf(!available)(
      `${name}: online on its ready signal, IPC messages, logs, a graceful stop and a restart${available ? '' : ` (skipped: SUP_TEST_${name.toUpperCase()} names no ${name} binary)`}`,
      async ({ sup }) => {
        const port = await freePorts();
        await sup.ok(
          ['start', fixture('runtime-app.mjs'), '--name', name, '--interpreter', bin!, '--wait-ready', '--listen-timeout', '120000'],
          {
            env: { PORT: String(port) },
          },
        );
        const [first] = await sup.waitForStatus(name, 'online', 30_000);
        expect((await get(port)).body).toBe(`${name} ${first!.pid}\n`);
        await waitForLogLine(sup, name, new RegExp(`^listening as ${name}$`));
        await sup.ok(['message', name, '{"hello":1}']);
        await waitForLogLine(sup, name, /^message \{"hello":1\}$/);
        await sup.ok(['restart', name]);
        const [second] = await sup.waitForStatus(name, 'online', 30_000);
        expect(second!.pid).not.toBe(first!.pid);
        await waitForLogLine(sup, name, /^SIGTERM: closing$/);
        await sup.ok(['stop', name]);
        expect(await sup.info(name)).toMatchObject({ status: 'stopped', exit_code: 0 });
      },
    );
  }
});
