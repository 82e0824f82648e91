import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect } from 'vitest';
import { REPO, fixture } from './harness/paths.js';
import { waitFor } from './harness/wait.js';
import { describeApp, homeEcosystem, startMayCrash } from './helpers/apps.js';
import { Receiver } from './helpers/events.js';
import { it } from './helpers/sup-test.js';

const CERT = join(REPO, 'test/fixtures/tls/cert.pem');
const TLS = { cert: readFileSync(CERT, 'utf8'), key: readFileSync(join(REPO, 'test/fixtures/tls/key.pem'), 'utf8') };
// Node 20 parses NODE_EXTRA_CA_CERTS as it starts; sup's own processes there get it under another name (src/extra-ca.ts).
const MOVED = Number(process.versions.node.split('.')[0]) < 22;

const environ = (pid: number) => readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');

describe('NODE_EXTRA_CA_CERTS', () => {
  const receivers: Receiver[] = [];
  afterEach(async () => {
    await Promise.all(receivers.splice(0).map((r) => r.close()));
  });
  const receiver = async () => {
    const r = await Receiver.start(TLS);
    receivers.push(r);
    return r;
  };

  it('is trusted by https webhooks and health checks, and passed on to hook commands as it was given', async ({ sup, dir }) => {
    const hooked = await receiver();
    const probed = await receiver();
    const out = join(dir, 'hook.jsonl');
    const file = homeEcosystem(sup, [
      { name: 'web', script: fixture('fail-loudly.js'), autorestart: false, hooks: { crash: { url: hooked.url } } },
      { name: 'cmd', script: fixture('fail-loudly.js'), autorestart: false, hooks: { crash: `node ${fixture('hook-record.js')} ${out}` } },
      { name: 'api', script: fixture('forever.js'), health_check: { http: probed.url, interval: '300ms' } },
    ]);
    await startMayCrash(sup, [file], { env: { NODE_EXTRA_CA_CERTS: CERT } });
    const log = () => readFileSync(join(sup.home, 'daemon.log'), 'utf8');
    await waitFor('the https webhook POST', () => hooked.bodies.length === 1, 20_000, log);
    expect(hooked.bodies[0]).toMatchObject({ event: 'crash', app: 'web' });
    await sup.waitForApp('api', 'healthy over https', (ps) => ps.every((p) => p.health?.status === 'healthy'));
    const line = await waitFor('the crash hook to run', () => readFileSync(out, 'utf8').split('\n')[0] || undefined, 20_000, log);
    const { env } = JSON.parse(line) as { env: Record<string, string> };
    expect(env.NODE_EXTRA_CA_CERTS).toBe(CERT);
    expect(env.SUP_EXTRA_CA_CERTS).toBeUndefined();

    for (const pid of [sup.daemonPid()!, sup.keeperPid()!]) {
      const vars = environ(pid);
      expect(vars.includes(`NODE_EXTRA_CA_CERTS=${CERT}`)).toBe(!MOVED);
      expect(vars.includes(`SUP_EXTRA_CA_CERTS=${CERT}`)).toBe(MOVED);
    }
  }, 60_000);

  it('is what makes them trust the certificate: without it the webhook fails on it', async ({ sup }) => {
    const hooked = await receiver();
    writeFileSync(join(sup.home, 'hooks.json'), JSON.stringify({ retries: 0 }));
    const file = homeEcosystem(sup, [
      { name: 'web', script: fixture('fail-loudly.js'), autorestart: false, hooks: { crash: { url: hooked.url } } },
    ]);
    await startMayCrash(sup, [file], { env: { NODE_EXTRA_CA_CERTS: '' } });
    const [described] = await waitFor(
      'the webhook to fail',
      async () => {
        const found = await describeApp(sup, 'web');
        return found[0]?.hook_failures.length ? found : undefined;
      },
      20_000,
    );
    expect(described!.hook_failures[0]!.error).toMatch(/self[- ]signed certificate/);
    expect(hooked.bodies).toHaveLength(0);
  }, 60_000);
});
