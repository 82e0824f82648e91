import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect } from 'vitest';
import type { ProcessDescription, ProcessInfo, Status } from '../src/protocol/messages.js';
import { freePorts } from './harness/http.js';
import { fixture } from './harness/paths.js';
import type { SupHome } from './harness/sup-home.js';
import { holdsFor, waitFor } from './harness/wait.js';
import { describeApp, homeEcosystem as ecosystem } from './helpers/apps.js';
import { it } from './helpers/sup-test.js';

const MB = 1024 * 1024;
const LIMIT_REASON = /^memory limit 100 MB exceeded: (\d+(?:\.\d+)?) MB$/;

async function describeFast(sup: SupHome, target: string): Promise<ProcessDescription[]> {
  return (await (await sup.client()).request('describe', { targets: [target] })).processes;
}

/** The figure, in MB, that a "memory limit 100 MB exceeded: N MB" reason reports. */
function reportedMb(reason: string | null): number {
  const match = LIMIT_REASON.exec(reason ?? '');
  if (!match) throw new Error(`not a memory-limit reason: ${JSON.stringify(reason)}`);
  return Number(match[1]);
}

/** Every status change the daemon announces for the app, in order (subscribe before starting it). */
async function recordChanges(sup: SupHome, name: string): Promise<ProcessInfo[]> {
  const seen: ProcessInfo[] = [];
  await (await sup.client()).subscribe(['process'], (event) => {
    if (event.type === 'process' && event.process.name === name) seen.push(event.process);
  });
  return seen;
}

describe('max_memory_restart', () => {
  // The figures come from the benchmark: at 10 MB per 50 ms PM2 (30 s checks) sees 647 MB before it acts;
  // sup's 250 ms guard should act far earlier. The bound is generous for a loaded machine.
  it('restarts a fast leak in fork mode soon after it crosses the limit', async ({ sup }) => {
    const eco = ecosystem(sup, [
      {
        name: 'leak',
        script: fixture('leak.js'),
        max_memory_restart: '100M',
        // The cap (plus ~50 MB of Node) stays above the bound below, so that the bound means something.
        env: { LEAK_MB_PER_TICK: '10', LEAK_TICK_MS: '50', LEAK_AFTER_MS: '1000', LEAK_CAP_MB: '500' },
      },
    ]);
    await sup.ok(['start', eco]);
    const [first] = await sup.waitForStatus('leak', 'online');

    const [after] = await sup.waitForApp(
      'leak',
      'restarted once and online again with a new pid',
      ([p]) => p!.restarts >= 1 && p!.status === 'online' && p!.pid !== null && p!.pid !== first!.pid,
      15_000,
    );
    expect(after!.pid).not.toBe(first!.pid);

    const [d] = await describeApp(sup, 'leak');
    expect(d!.restart_reason).toMatch(/memory limit 100 MB exceeded: \d+/);
    expect(d!.monitor.memory_limit).toBe(100 * MB);
    const seenMb = reportedMb(d!.restart_reason);
    expect(seenMb).toBeGreaterThan(100);
    expect(seenMb).toBeLessThan(400);
    expect(readFileSync(join(sup.home, 'daemon.log'), 'utf8')).toMatch(/leak#0: memory limit 100 MB exceeded: \d+(\.\d+)? MB; restarting/);
  });

  it('reloads cluster instances over the limit, without ever taking them offline', async ({ sup }) => {
    await sup.ok(['ping']);
    const changes = await recordChanges(sup, 'web');
    const port = await freePorts();
    const eco = ecosystem(sup, [
      {
        name: 'web',
        script: fixture('leak.js'),
        exec_mode: 'cluster',
        instances: 2,
        max_memory_restart: '100M',
        // 100 MB a second from 1.5 s on; capped so that two instances and their replacements stay modest.
        env: { PORT: String(port), LEAK_MB_PER_TICK: '5', LEAK_TICK_MS: '50', LEAK_AFTER_MS: '1500', LEAK_CAP_MB: '200' },
      },
    ]);
    await sup.ok(['start', eco]);
    const before = await sup.waitForStatus('web', 'online');
    const firstPids = new Map(before.map((p) => [p.id, p.pid]));

    const bad: ProcessInfo[] = [];
    const offline: Status[] = ['stopping', 'stopped', 'errored', 'waiting-restart'];
    const after = await sup.waitForApp(
      'web',
      'both instances replaced',
      (ps) => {
        bad.push(...ps.filter((p) => offline.includes(p.status)));
        return ps.length === 2 && ps.every((p) => p.restarts >= 1 && p.status === 'online' && p.pid !== firstPids.get(p.id));
      },
      20_000,
    );
    expect(bad, 'instances seen offline while polling the list').toEqual([]);
    // Polling can miss a short dip; the events cannot: once online, every announced status is online.
    for (const id of firstPids.keys()) {
      const statuses = changes.filter((p) => p.id === id).map((p) => p.status);
      expect(statuses.indexOf('online'), `statuses of #${id}: ${statuses.join(', ')}`).toBeGreaterThanOrEqual(0);
      expect(statuses.slice(statuses.indexOf('online')), `statuses of #${id}`).toEqual(
        statuses.slice(statuses.indexOf('online')).map(() => 'online'),
      );
    }
    for (const p of after) expect(p.pid).not.toBe(firstPids.get(p.id));

    const described = await describeApp(sup, 'web');
    expect(described).toHaveLength(2);
    for (const d of described) {
      expect(d.mode).toBe('cluster');
      expect(d.restart_reason).toMatch(LIMIT_REASON);
    }
  }, 45_000);

  it('counts a leaking child toward the limit although the main process stays small', async ({ sup }) => {
    const eco = ecosystem(sup, [
      {
        name: 'parent',
        script: fixture('leak.js'),
        max_memory_restart: '100M',
        env: { LEAK_IN_CHILD: '1', LEAK_MB_PER_TICK: '5', LEAK_TICK_MS: '50', LEAK_AFTER_MS: '1000', LEAK_CAP_MB: '300' },
      },
    ]);
    await sup.ok(['start', eco], { env: { SUP_MONITOR_INTERVAL: '200' } });
    const [first] = await sup.waitForStatus('parent', 'online');

    // The main process's own figure, as long as the first process runs.
    const mainMemory: number[] = [];
    let last: ProcessDescription | undefined;
    await waitFor(
      'a restart over the memory limit',
      async () => {
        [last] = await describeFast(sup, 'parent');
        if (last!.pid === first!.pid && last!.monitor.main_memory !== null) mainMemory.push(last!.monitor.main_memory);
        return last!.restarts >= 1;
      },
      15_000,
      () => ({ last, mainMemory }),
    );
    const [d] = await describeApp(sup, 'parent');
    expect(d!.restart_reason).toMatch(LIMIT_REASON);
    expect(mainMemory.length, 'figures of the first main process').toBeGreaterThan(0);
    expect(Math.max(...mainMemory), `main process figures: ${mainMemory.map((m) => Math.round(m / MB)).join(', ')} MB`).toBeLessThan(
      100 * MB,
    );
  });

  // The first run takes a second to exit, still over the limit, while the guard keeps looking every 250 ms.
  it.for(['fork', 'cluster'] as const)(
    'restarts once for one crossing in %s mode, not again while the memory stays flat',
    { timeout: 90_000 },
    async (mode, { sup }) => {
      const marker = join(sup.home, 'step-runs');
      const eco = ecosystem(sup, [
        {
          name: 'step',
          script: fixture('mon-step.js'),
          exec_mode: mode,
          instances: 1,
          max_memory_restart: '100M',
          kill_timeout: 5000,
          env: { STEP_MARKER: marker, STEP_MB: '150', STEP_AFTER_MS: '1000', STEP_STOP_MS: '1000', PORT: String(await freePorts()) },
        },
      ]);
      await sup.ok(['start', eco]);
      await sup.waitForStatus('step', 'online');
      await sup.waitForApp('step', 'one restart', ([p]) => p!.restarts >= 1 && p!.status === 'online', 15_000);

      // Well past the old process's exit, several guard checks (250 ms) and monitor passes (1 s).
      await holdsFor('exactly one restart', 3000, async () => {
        const p = await sup.info('step');
        return p.restarts === 1 && p.status === 'online' ? undefined : JSON.stringify(p);
      });
      const [d] = await describeApp(sup, 'step');
      expect(d!.restarts).toBe(1);
      expect(reportedMb(d!.restart_reason)).toBeGreaterThan(100);
      // Two runs: the one that stepped up, and the one that stayed small.
      expect(readFileSync(marker, 'utf8').trim().split('\n')).toHaveLength(2);
      expect(d!.memory ?? 0).toBeLessThan(100 * MB);
    },
  );
});

describe('max_memory_restart values', () => {
  it.for<[string, unknown]>([
    ['a unit PM2 does not know', '200mb'],
    ['a word', 'lots'],
    ['a negative number', -5],
    ['zero', 0],
  ])('refuses %s (%j) and starts nothing', async ([_what, value], { sup }) => {
    const eco = ecosystem(sup, [{ name: 'bad', script: fixture('forever.js'), max_memory_restart: value }]);
    const result = await sup.run(['start', eco]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('max_memory_restart must be');
    expect(result.stderr).toContain(JSON.stringify(value));
    expect(JSON.parse(await sup.ok(['list', '--json']))).toEqual([]);
  });

  it('accepts K, M and G sizes and plain bytes', async ({ sup }) => {
    // All above what an idle Node process uses, so that nothing restarts.
    const cases: [string, string | number, number][] = [
      ['kilo', '204800K', 200 * MB],
      ['mega', '200M', 200 * MB],
      ['giga', '1G', 1024 * MB],
      ['bytes', 150_000_000, 150_000_000],
    ];
    const eco = ecosystem(
      sup,
      cases.map(([name, value]) => ({ name, script: fixture('forever.js'), max_memory_restart: value })),
    );
    await sup.ok(['start', eco]);
    for (const [name, , bytes] of cases) {
      const [d] = await describeApp(sup, name);
      expect(d!.config.max_memory_restart, name).toBe(bytes);
      expect(d!.monitor.memory_limit, name).toBe(bytes);
    }
  });
});
