import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect } from 'vitest';
import type { SupEvent } from '../src/protocol/messages.js';
import { freePorts } from './harness/http.js';
import { fixture, SUP_BIN } from './harness/paths.js';
import { killQuietly } from './harness/proc.js';
import type { SupHome } from './harness/sup-home.js';
import { holdsFor, waitFor } from './harness/wait.js';
import { writeEcosystem } from './helpers/apps.js';
import { readRecord } from './helpers/cl-http.js';
import { it } from './helpers/sup-test.js';

const MODES = ['fork', 'cluster'] as const;

describe('app IPC', () => {
  let logs: ChildProcess | undefined;
  afterEach(() => {
    if (logs?.pid) killQuietly(logs.pid);
    logs = undefined;
  });

  /**
   * Starts the app from the ecosystem file and checks that it is launching from the first look until `holdMs` after
   * the start began, then online. `sup start` may wait for readiness, so the state is watched while it runs.
   */
  async function startLaunchingFor(sup: SupHome, file: string, name: string, holdMs: number) {
    await sup.ok(['ping']);
    const t0 = Date.now();
    const starting = sup.run(['start', file]);
    const [first] = await sup.waitForApp(name, 'a process', () => true);
    expect(first).toMatchObject({ status: 'launching', status_reason: null });
    await holdsFor(`${name} to stay launching`, Math.max(0, t0 + holdMs - Date.now()), async () => {
      const { status } = await sup.info(name);
      return status === 'launching' ? undefined : `it was ${status}`;
    });
    const started = await starting;
    expect(started.code, started.stderr).toBe(0);
    const [online] = await sup.waitForStatus(name, 'online', 10_000);
    return { online: online!, elapsedMs: Date.now() - t0 };
  }

  it.for(MODES)('%s mode: with wait_ready and no ready, stays launching until listen_timeout', async (mode, { sup, dir }) => {
    const file = writeEcosystem(dir, [
      { name: 'mute', script: fixture('ipc.js'), exec_mode: mode, wait_ready: true, listen_timeout: 1500 },
    ]);
    // The process starts after the start began, so listen_timeout cannot fire before 1500 ms.
    const { online, elapsedMs } = await startLaunchingFor(sup, file, 'mute', 1000);
    expect(elapsedMs).toBeGreaterThanOrEqual(1500);
    expect(online.status_reason).toMatch(/no process\.send\('ready'\) within listen_timeout \(1500 ms\)/);
  });

  it.for(MODES)("%s mode: with wait_ready, goes online when the app sends 'ready'", async (mode, { sup, dir }) => {
    const file = writeEcosystem(dir, [
      { name: 'ready', script: fixture('ipc.js'), exec_mode: mode, wait_ready: true, listen_timeout: 20_000, env: { READY_DELAY_MS: 800 } },
    ]);
    const { online, elapsedMs } = await startLaunchingFor(sup, file, 'ready', 500);
    expect(elapsedMs).toBeGreaterThanOrEqual(800);
    expect(online.status_reason).toBeNull();
  });

  it('delivers signals and messages to every cluster instance, and relays the replies as events and in `sup logs`', async ({
    sup,
    dir,
  }) => {
    const record = join(dir, 'record.jsonl');
    const port = await freePorts();
    await sup.ok(['start', fixture('ipc.js'), '--name', 'web', '-i', '2'], { env: { PORT: String(port), RECORD_FILE: record } });
    const instances = await sup.waitForStatus('web', 'online');
    const pids = instances.map((p) => p.pid!);

    const signalled = await sup.ok(['signal', 'SIGUSR2', 'web']);
    for (const p of instances) expect(signalled).toContain(`web#${p.id} (pid ${p.pid})`);
    const sawSignal = (pid: number) => readRecord(record).filter((e) => e.pid === pid && e.signal === 'SIGUSR2').length;
    await waitFor(
      'SIGUSR2 in both workers',
      () => pids.every((pid) => sawSignal(pid) === 1),
      5000,
      () => readRecord(record),
    );

    const client = await sup.client();
    const events: SupEvent[] = [];
    await client.subscribe(['message'], (e) => events.push(e));
    await sup.ok(['message', 'web', '{"x":1}']);
    await waitFor(
      '{x:1} in both workers',
      () => pids.every((pid) => readRecord(record).some((e) => e.pid === pid && JSON.stringify(e.message) === '{"x":1}')),
      5000,
      () => readRecord(record),
    );
    const echoes = await waitFor(
      'two echo events',
      () => {
        const found = events.filter((e) => e.type === 'message' && JSON.stringify(e.data) === '{"echo":{"x":1}}');
        return found.length === 2 && found;
      },
      5000,
      () => events,
    );
    expect(echoes.map((e) => e.type === 'message' && [e.name, e.id, e.instance]).sort()).toEqual(
      instances.map((p) => ['web', p.id, p.instance]).sort(),
    );
    // No SIGTERM so far: the signals and messages did not stop anything.
    expect(readRecord(record).filter((e) => e.signal === 'SIGTERM')).toEqual([]);

    let out = '';
    logs = spawn(process.execPath, [SUP_BIN, 'logs', 'web'], { env: sup.env(), stdio: ['ignore', 'pipe', 'pipe'] });
    logs.stdout!.on('data', (d) => (out += d));
    logs.stderr!.on('data', (d) => (out += d));
    await waitFor(
      'the log history headers',
      () => out.includes('(last 15 lines):'),
      10_000,
      () => out,
    );
    // `sup logs` subscribes after printing the history; send until one of the replies shows up.
    let sentAt = 0;
    const line = await waitFor(
      'a message line in `sup logs`',
      async () => {
        const found = out.split('\n').find((l) => l.includes('message {"echo":{"y":2}}'));
        if (found) return found;
        if (Date.now() - sentAt > 500) {
          sentAt = Date.now();
          await client.request('message', { targets: ['web'], message: { y: 2 } });
        }
        return undefined;
      },
      10_000,
      () => out,
    );
    expect(line).toMatch(/^\d+\|web \| message \{"echo":\{"y":2\}\}$/);
  });

  it.for(MODES)("%s mode: shutdown_with_message stops the app with the 'shutdown' message, not SIGTERM", async (mode, { sup, dir }) => {
    const record = join(dir, 'record.jsonl');
    const port = await freePorts();
    const instances = mode === 'cluster' ? 2 : 1;
    const file = writeEcosystem(dir, [
      {
        name: 'polite',
        script: fixture('ipc.js'),
        exec_mode: mode,
        instances,
        shutdown_with_message: true,
        env: { PORT: port, RECORD_FILE: record },
      },
    ]);
    await sup.ok(['start', file]);
    const running = await sup.waitForStatus('polite', 'online');
    expect(running).toHaveLength(instances);

    await sup.ok(['stop', 'polite']);
    const stopped = await sup.waitForStatus('polite', 'stopped');
    // Stopped by the app's own exit, not by SIGKILL after kill_timeout.
    expect(stopped.map((p) => p.status_reason)).toEqual(running.map(() => null));
    const entries = readRecord(record);
    for (const p of running)
      expect(
        entries.filter((e) => e.pid === p.pid),
        `pid ${p.pid}`,
      ).toEqual([{ pid: p.pid, message: 'shutdown' }]);
    expect(entries).toHaveLength(instances);
  });
});
