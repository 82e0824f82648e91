import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect } from 'vitest';
import type { ProcessInfo, SupEvent } from '../src/protocol/messages.js';
import { freePorts, waitForHttp } from './harness/http.js';
import { startLoad } from './harness/load.js';
import { fixture } from './harness/paths.js';
import { isAlive } from './harness/proc.js';
import { waitFor } from './harness/wait.js';
import { writeEcosystem } from './helpers/apps.js';
import { answeringPids, readRecord } from './helpers/cl-http.js';
import { it } from './helpers/sup-test.js';

const sorted = (xs: Iterable<number>) => [...xs].sort((a, b) => a - b);
const pidsOf = (ps: ProcessInfo[]) => sorted(ps.map((p) => p.pid!));

describe('reload', () => {
  it('sends each old instance its stop signal exactly once, and none to the replacements', async ({ sup, dir }) => {
    const record = join(dir, 'record.jsonl');
    const port = await freePorts();
    await sup.ok(['start', fixture('ipc.js'), '--name', 'web', '-i', '2'], { env: { PORT: String(port), RECORD_FILE: record } });
    const first = pidsOf(await sup.waitForStatus('web', 'online'));

    await sup.ok(['reload', 'web']);
    const second = pidsOf(await sup.waitForStatus('web', 'online'));
    expect(second.filter((pid) => first.includes(pid))).toEqual([]);
    for (const pid of first) expect(isAlive(pid)).toBe(false);

    await sup.ok(['reload', 'web']);
    const third = pidsOf(await sup.waitForStatus('web', 'online'));

    const entries = readRecord(record);
    // sup's drain request is its own control message: the app never sees it.
    expect(entries.filter((e) => 'message' in e)).toEqual([]);
    const signalsOf = (pid: number) => entries.filter((e) => e.pid === pid).map((e) => e.signal);
    for (const pid of [...first, ...second]) expect(signalsOf(pid), `pid ${pid}`).toEqual(['SIGTERM']);
    for (const pid of third) expect(signalsOf(pid), `pid ${pid}`).toEqual([]);
    expect(sorted(await answeringPids(port, 12))).toEqual(third);
  });

  it('aborts when a replacement crashes at start, keeping the old instances serving', async ({ sup, dir }) => {
    const marker = join(dir, 'crash');
    const port = await freePorts();
    await sup.ok(['start', fixture('crash-on-reload.js'), '--name', 'web', '-i', '2'], {
      env: { PORT: String(port), CRASH_IF_EXISTS: marker },
    });
    const old = await sup.waitForStatus('web', 'online');
    await waitForHttp(port);

    writeFileSync(marker, '');
    const failed = await sup.run(['reload', 'web']);
    expect(failed.code).not.toBe(0);
    expect(failed.stderr).toContain(`web#${old[0]!.id}`);
    expect(failed.stderr).toContain('exited with code 7');
    expect(failed.stderr).toContain(`the old instance (pid ${old[0]!.pid}) keeps serving`);
    const after = (await sup.list()).filter((p) => p.name === 'web');
    expect(after.map((p) => [p.pid, p.status])).toEqual(old.map((p) => [p.pid, 'online']));
    expect(sorted(await answeringPids(port, 12))).toEqual(pidsOf(old));

    rmSync(marker);
    await sup.ok(['reload', 'web']);
    const fresh = await sup.waitForStatus('web', 'online');
    expect(pidsOf(fresh).filter((pid) => pidsOf(old).includes(pid))).toEqual([]);
    expect(sorted(await answeringPids(port, 12))).toEqual(pidsOf(fresh));
  });

  it('refuses a second reload of an app while one runs, and leaves no orphan worker', async ({ sup, dir }) => {
    const file = writeEcosystem(dir, [
      { name: 'web', script: fixture('ipc.js'), instances: 2, exec_mode: 'cluster', wait_ready: true, env: { READY_DELAY_MS: 1500 } },
    ]);
    await sup.ok(['start', file]);
    const old = await sup.waitForStatus('web', 'online');

    const progress: string[] = [];
    await (await sup.client()).subscribe(['process'], (e: SupEvent) => e.type === 'progress' && progress.push(e.text));
    const first = sup.run(['reload', 'web']);
    await waitFor(
      'the first reload to start a replacement',
      () => progress.some((t) => t.includes('starting a replacement')),
      10_000,
      () => progress,
    );

    const second = await sup.run(['reload', 'web']);
    expect(second.code).not.toBe(0);
    expect(second.stderr).toMatch(/a reload of "web" is already running/);

    const done = await first;
    expect(done.code, done.stderr).toBe(0);
    expect(done.stdout).toContain(`reloaded web#${old[0]!.id}, web#${old[1]!.id}`);
    const fresh = await sup.waitForStatus('web', 'online');
    expect(pidsOf(fresh).filter((pid) => pidsOf(old).includes(pid))).toEqual([]);
    expect(fresh.map((p) => p.restarts)).toEqual([1, 1]);

    // The daemon and the two current workers (the keeper, their parent, is left out): nothing else.
    const daemon = sup.daemonPid()!;
    const mine = () => sorted(sup.processes());
    const left = await waitFor('daemon + 2 workers', () => mine().length === 3 && mine(), 5000, mine);
    expect(left.filter((pid) => pid !== daemon)).toEqual(sorted(pidsOf(fresh)));
  });

  it('falls back to restart in fork mode and says so', async ({ sup, dir }) => {
    const file = writeEcosystem(dir, [{ name: 'worker', script: fixture('forever.js'), instances: 2, exec_mode: 'fork' }]);
    await sup.ok(['start', file]);
    const old = await sup.waitForStatus('worker', 'online');

    const out = await sup.ok(['reload', 'worker']);
    expect(out).toContain('worker runs in fork mode: reload fell back to restart');
    const fresh = await sup.waitForStatus('worker', 'online');
    expect(pidsOf(fresh).filter((pid) => pidsOf(old).includes(pid))).toEqual([]);
    expect(fresh.map((p) => p.restarts)).toEqual([1, 1]);
    for (const p of old) expect(isAlive(p.pid!)).toBe(false);
  });

  it('loses no request under keep-alive load across back-to-back reloads', async ({ sup }) => {
    const port = await freePorts();
    await sup.ok(['start', fixture('http.js'), '--name', 'web', '-i', '2'], { env: { PORT: String(port) } });
    const old = await sup.waitForStatus('web', 'online');
    await waitForHttp(port);

    const load = startLoad(port, { clients: 8, pauseMs: 1, maxRequests: 20_000, maxMs: 20_000 });
    let result;
    try {
      for (let i = 0; i < 3; i++) await sup.ok(['reload', 'web']);
    } finally {
      result = await load.stop();
    }
    const fresh = await sup.waitForStatus('web', 'online');
    expect(result.endedBy, 'the load ran for all three reloads').toBe('stop');
    expect(result.failed, `${result.failed} of ${result.ok + result.failed} requests failed: ${result.samples.join('; ')}`).toBe(0);
    expect(result.ok).toBeGreaterThan(0);
    // Old and new workers both answered during the run.
    expect(pidsOf(old).every((pid) => result.pids.has(pid))).toBe(true);
    expect(pidsOf(fresh).every((pid) => result.pids.has(pid))).toBe(true);
  });
});
