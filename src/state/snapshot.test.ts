import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { APP_DEFAULTS } from '../config/app-config.js';
import { SnapshotFile } from './snapshot-file.js';
import { parseSnapshot, planRecovery, wantedOf, type Snapshot } from './snapshot.js';

const config = {
  ...APP_DEFAULTS,
  interpreter: 'node',
  name: 'web',
  namespace: 'default',
  script: '/srv/app.js',
  args: [],
  cwd: '/srv',
  env: {},
  instances: 1,
};
const snapshot = (over: Partial<Snapshot> = {}): Snapshot => ({
  format: 1,
  saved_at: 1,
  phase: 'running',
  boot: 'b1',
  daemon_pid: 42,
  next_id: 1,
  envs: [{ PATH: '/bin' }],
  apps: [
    {
      config: config as unknown as Snapshot['apps'][0]['config'],
      env: 0,
      instances: [{ id: 0, index: 0, wanted: 'running', restarts: 3, status_reason: null, restart_reason: null }],
    },
  ],
  ...over,
});

describe('parseSnapshot', () => {
  it('accepts what sup writes and says what is wrong with anything else', () => {
    expect(parseSnapshot(JSON.stringify(snapshot()))).toMatchObject({ ok: true });
    expect(parseSnapshot('')).toEqual({ ok: false, reason: 'the file is empty' });
    expect(parseSnapshot('{"format":1,"apps":[')).toMatchObject({ ok: false, reason: expect.stringMatching(/^not JSON/) });
    expect(parseSnapshot(JSON.stringify({ ...snapshot(), format: 2 }))).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^format: /),
    });
    const twice = snapshot();
    twice.apps.push({ ...twice.apps[0]!, config: { ...twice.apps[0]!.config, name: 'api' } });
    expect(parseSnapshot(JSON.stringify(twice))).toEqual({ ok: false, reason: 'an id is used twice' });
    expect(parseSnapshot(JSON.stringify(snapshot({ envs: [] })))).toEqual({ ok: false, reason: 'an app refers to a missing environment' });
  });

  it('restores a state of this boot that was not stopped on request, and ends what its daemon left in any case', () => {
    expect(planRecovery(snapshot(), 'b1', false)).toEqual({ endLeftovers: true, restore: 'live' });
    expect(planRecovery(snapshot({ phase: 'handover' }), 'b1', false)).toEqual({ endLeftovers: true, restore: 'live' });
    expect(planRecovery(snapshot({ phase: 'stopped' }), 'b1', false)).toEqual({ endLeftovers: true, restore: 'none' });
    expect(planRecovery(snapshot(), 'b2', false)).toEqual({ endLeftovers: false, restore: 'none' });
    expect(planRecovery(undefined, 'b1', false)).toEqual({ endLeftovers: false, restore: 'none' });
  });

  it('at boot resurrects the saved list only when there is no state of this boot (never apps deleted since)', () => {
    expect(planRecovery(undefined, 'b1', true)).toEqual({ endLeftovers: false, restore: 'dump' });
    expect(planRecovery(snapshot(), 'b0', true)).toEqual({ endLeftovers: false, restore: 'dump' });
    expect(planRecovery(snapshot({ apps: [] }), 'b1', true)).toEqual({ endLeftovers: true, restore: 'none' });
    expect(planRecovery(snapshot({ phase: 'stopped' }), 'b1', true)).toEqual({ endLeftovers: true, restore: 'live' });
  });

  it('brings back what was on its way up or waiting to restart, and leaves stopped and errored as they were', () => {
    expect(['launching', 'online', 'stopping', 'waiting-restart'].map((s) => wantedOf(s as never))).toEqual([
      'running',
      'running',
      'running',
      'running',
    ]);
    expect(wantedOf('stopped')).toBe('stopped');
    expect(wantedOf('errored')).toBe('errored');
  });
});

describe('SnapshotFile', () => {
  let dir: string;
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps the previous good copy as the backup and falls back to it, never rotating a corrupt file into it', async () => {
    dir = mkdtempSync(join(tmpdir(), 'sup-snap-'));
    const file = new SnapshotFile(join(dir, 'state.json'));
    expect(file.read()).toEqual({ kind: 'missing' });
    await file.write(snapshot({ next_id: 1 }));
    await file.write(snapshot({ next_id: 2 }));
    expect(file.read()).toMatchObject({ kind: 'found', from: 'file', snapshot: { next_id: 2 } });

    writeFileSync(file.path, '');
    const reread = new SnapshotFile(file.path);
    expect(reread.read()).toMatchObject({
      kind: 'found',
      from: 'backup',
      snapshot: { next_id: 1 },
      warning: expect.stringContaining('the file is empty'),
    });
    await reread.write(snapshot({ next_id: 3 }));
    expect(JSON.parse(readFileSync(reread.backupPath, 'utf8')).next_id).toBe(1);

    // A fresh writer (a new daemon's first `sup save`) keeps the good file it finds as the backup, and two writes
    // at once are taken one after the other.
    const fresh = new SnapshotFile(file.path);
    await Promise.all([fresh.write(snapshot({ next_id: 4 })), fresh.write(snapshot({ next_id: 5 }))]);
    expect(JSON.parse(readFileSync(fresh.backupPath, 'utf8')).next_id).toBe(4);
    expect(JSON.parse(readFileSync(fresh.path, 'utf8')).next_id).toBe(5);

    writeFileSync(file.path, 'x');
    writeFileSync(file.backupPath, 'y');
    expect(new SnapshotFile(file.path).read()).toMatchObject({
      kind: 'unreadable',
      reason: expect.stringContaining('and so is its backup'),
    });
  });
});
