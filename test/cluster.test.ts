import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { describe, expect } from 'vitest';
import type { ProcessInfo } from '../src/protocol/messages.js';
import { freePorts, get, waitForHttp } from './harness/http.js';
import { startLoad } from './harness/load.js';
import { fixture } from './harness/paths.js';
import { isAlive } from './harness/proc.js';
import { waitFor } from './harness/wait.js';
import { writeEcosystem } from './helpers/apps.js';
import { answeringPids, bodies } from './helpers/cl-http.js';
import { it } from './helpers/sup-test.js';

const sorted = (xs: Iterable<number>) => [...xs].sort((a, b) => a - b);
const onlinePids = (ps: ProcessInfo[]) => sorted(ps.map((p) => p.pid!));

/** Sends requests on new connections until every expected pid has answered; returns pid → NODE_APP_INSTANCE. */
async function instancesByPid(port: number, expected: number[]): Promise<Map<number, string>> {
  const seen = new Map<number, string>();
  await waitFor(
    `answers from pids ${expected.join(', ')} on port ${port}`,
    async () => {
      for (const body of await bodies(port, expected.length * 2)) {
        const [pid, instance] = body.split(' ');
        seen.set(Number(pid), instance!);
      }
      return expected.every((pid) => seen.has(pid));
    },
    10_000,
    () => Object.fromEntries(seen),
  );
  return seen;
}

describe('cluster mode', () => {
  it('serves one port from two workers with distinct pids', async ({ sup }) => {
    const port = await freePorts();
    const out = await sup.ok(['start', fixture('http.js'), '--name', 'web', '-i', '2'], { env: { PORT: String(port) } });
    expect(out).toContain('started web (2 instances, cluster mode)');
    const workers = await sup.waitForStatus('web', 'online');
    expect(workers.map((p) => p.mode)).toEqual(['cluster', 'cluster']);

    const pids = await answeringPids(port, 40);
    expect(sorted(pids)).toEqual(onlinePids(workers));
    expect(pids.size).toBe(2);
  });

  it('resolves -i max, -1, -100 and 3 against the CPU count', async ({ sup }) => {
    const cpus = availableParallelism();
    const cases = [
      { name: 'max', flag: 'max', expected: cpus },
      { name: 'minus1', flag: '-1', expected: Math.max(1, cpus - 1) },
      { name: 'minus100', flag: '-100', expected: 1 },
      { name: 'three', flag: '3', expected: 3 },
    ];
    for (const c of cases) {
      const port = await freePorts();
      const out = await sup.ok(['start', fixture('http.js'), '--name', c.name, '-i', c.flag], { env: { PORT: String(port) } });
      expect(out).toContain(`started ${c.name} (${c.expected} instance${c.expected === 1 ? '' : 's'}, cluster mode)`);
    }
    for (const c of cases) {
      const instances = await sup.waitForStatus(c.name, 'online', 15_000);
      expect(
        instances.map((p) => p.instance),
        c.name,
      ).toEqual(Array.from({ length: c.expected }, (_, i) => i));
    }
  });

  it('scales up and down, reusing the lowest free instance numbers, and stops what it removes', async ({ sup }) => {
    const port = await freePorts();
    await sup.ok(['start', fixture('http.js'), '--name', 'web', '-i', '2'], { env: { PORT: String(port) } });
    const two = await sup.waitForStatus('web', 'online');

    expect(await sup.ok(['scale', 'web', '3'])).toContain('scaled web from 2 to 3 instances');
    const three = await sup.waitForApp('web', '3 online', (ps) => ps.length === 3 && ps.every((p) => p.status === 'online'));
    expect(three.map((p) => p.instance)).toEqual([0, 1, 2]);
    expect(three.slice(0, 2).map((p) => p.pid)).toEqual(two.map((p) => p.pid));
    // Each worker sees its own instance number.
    const byPid = await instancesByPid(port, onlinePids(three));
    for (const p of three) expect(byPid.get(p.pid!), `pid ${p.pid}`).toBe(String(p.instance));

    expect(await sup.ok(['scale', 'web', '-1'])).toContain('scaled web from 3 to 2 instances');
    const removed = three.find((p) => p.instance === 2)!;
    expect(isAlive(removed.pid!)).toBe(false);
    const down = (await sup.list()).filter((p) => p.name === 'web');
    expect(down.map((p) => [p.instance, p.pid, p.status])).toEqual(three.slice(0, 2).map((p) => [p.instance, p.pid, 'online']));
    expect(sorted(await answeringPids(port, 12))).toEqual(onlinePids(down));

    expect(await sup.ok(['scale', 'web', '+1'])).toContain('scaled web from 2 to 3 instances');
    const again = await sup.waitForApp('web', '3 online', (ps) => ps.length === 3 && ps.every((p) => p.status === 'online'));
    expect(again.map((p) => p.instance)).toEqual([0, 1, 2]);
    const added = again.find((p) => p.instance === 2)!;
    expect(added.pid).not.toBe(removed.pid);
    expect((await instancesByPid(port, [added.pid!])).get(added.pid!)).toBe('2');

    const same = await sup.run(['scale', 'web', '3']);
    expect(same.code).toBe(0);
    expect(same.stdout).toContain('web already runs 3 instances; nothing to do');
    expect(onlinePids((await sup.list()).filter((p) => p.name === 'web'))).toEqual(onlinePids(again));
  });

  it('leaves no worker behind once the app is stopped; the keeper, primary of every cluster app, stays', async ({ sup }) => {
    const port = await freePorts();
    await sup.ok(['start', fixture('http.js'), '--name', 'web', '-i', '2'], { env: { PORT: String(port) } });
    const workers = await sup.waitForStatus('web', 'online');
    await waitForHttp(port);
    const daemon = sup.daemonPid()!;
    const keeper = sup.keeperPid()!;
    expect(workers.map((w) => readFileSync(`/proc/${w.pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[1])).toEqual([
      String(keeper),
      String(keeper),
    ]);
    const mine = () => sorted(sup.processes());
    await waitFor('daemon and 2 workers', () => mine().length === 3 && mine(), 5000, mine);

    await sup.ok(['stop', 'web']);
    await sup.waitForStatus('web', 'stopped');
    await waitFor('only the daemon left (and the keeper)', () => mine().length === 1 && mine()[0] === daemon, 5000, mine);
    await expect(get(port, false, 1000)).rejects.toThrow();
  });

  it('gives each fork-mode instance its own port with increment_var', async ({ sup, dir }) => {
    const base = await freePorts(2);
    const file = writeEcosystem(dir, [
      { name: 'inc', script: fixture('http.js'), instances: 2, exec_mode: 'fork', increment_var: 'PORT', env: { PORT: base } },
    ]);
    expect(await sup.ok(['start', file])).toContain('started inc (2 instances, fork mode)');
    const [first, second] = await sup.waitForStatus('inc', 'online');
    expect((await waitForHttp(base)).body.trim()).toBe(`${first!.pid} 0`);
    expect((await waitForHttp(base + 1)).body.trim()).toBe(`${second!.pid} 1`);
  });

  it('still reloads under load with drain_http off (requests may fail then; not asserted, it depends on timing)', async ({ sup, dir }) => {
    const port = await freePorts();
    const file = writeEcosystem(dir, [
      { name: 'web', script: fixture('http.js'), instances: 2, exec_mode: 'cluster', drain_http: false, env: { PORT: port } },
    ]);
    await sup.ok(['start', file]);
    const old = await sup.waitForStatus('web', 'online');
    await waitForHttp(port);
    // The workers run without sup's HTTP drain.
    for (const p of old) expect(readFileSync(`/proc/${p.pid}/environ`, 'utf8').split('\0')).toContain('SUP_DRAIN_HTTP=0');

    const load = startLoad(port, { clients: 8, pauseMs: 1, maxRequests: 10_000, maxMs: 15_000 });
    try {
      await sup.ok(['reload', 'web']);
    } finally {
      await load.stop();
    }
    const fresh = await sup.waitForStatus('web', 'online');
    expect(onlinePids(fresh).filter((pid) => onlinePids(old).includes(pid))).toEqual([]);
    expect(sorted(await answeringPids(port, 12))).toEqual(onlinePids(fresh));
  });
});
