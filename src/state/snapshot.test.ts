import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { APP_DEFAULTS } from '../config/app-config.js';
import { SnapshotFile } from './snapshot-file.js';
import { parseSnapshot, shouldRestore, wantedOf, type Snapshot } from './snapshot.js';

const config = { ...APP_DEFAULTS, interpreter: 'node', name: 'web', namespace: 'default', script: '/srv/app.js', args: [], cwd: '/srv', env: {}, instances: 1 };
const snapshot = (over: Partial<Snapshot> = {}): Snapshot => ({
  format: 1,
  saved_at: 1,
  phase: 'running',
  boot: 'b1',
  daemon_pid: 42,
  next_id: 1,
  envs: [{ PATH: '/bin' }],
  apps: [{ config: config as unknown as Snapshot['apps'][0]['config'], env: 0, instances: [{ id: 0, index: 0, wanted: 'running', restarts: 3, status_reason: null, restart_reason: null }] }],
  ...over,
});

describe('parseSnapshot', () => {
  it('accepts what sup writes and says what is wrong with anything else', () => {
    expect(parseSnapshot(JSON.stringify(snapshot()))).toMatchObject({ ok: true });
    expect(parseSnapshot('')).toEqual({ ok: false, reason: 'the file is empty' });
    expect(parseSnapshot('{"format":1,"apps":[')).toMatchObject({ ok: false, reason: expect.stringMatching(/^not JSON/) });
    expect(parseSnapshot(JSON.stringify({ ...snapshot(), format: 2 }))).toMatchObject({ ok: false, reason: expect.stringMatching(/^format: /) });
    const twice = snapshot();
    twice.apps.push({ ...twice.apps[0]!, config: { ...twice.apps[0]!.config, name: 'api' } });
    expect(parseSnapshot(JSON.stringify(twice))).toEqual({ ok: false, reason: 'an id is used twice' });
    expect(parseSnapshot(JSON.stringify(snapshot({ envs: [] })))).toEqual({ ok: false, reason: 'an app refers to a missing environment' });
  });

  it('restores by itself only a state of this boot that was not stopped on request', () => {
    expect(shouldRestore(snapshot(), 'b1')).toBe(true);
    expect(shouldRestore(snapshot({ phase: 'handover' }), 'b1')).toBe(true);
    expect(shouldRestore(snapshot({ phase: 'stopped' }), 'b1')).toBe(false);
    expect(shouldRestore(snapshot(), 'b2')).toBe(false);
    expect(shouldRestore(snapshot({ apps: [] }), 'b1')).toBe(false);
  });

  it('brings back what was on its way up or waiting to restart, and leaves stopped and errored as they were', () => {
    expect(['launching', 'online', 'stopping', 'waiting-restart'].map((s) => wantedOf(s as never))).toEqual(['running', 'running', 'running', 'running']);
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
    expect(reread.read()).toMatchObject({ kind: 'found', from: 'backup', snapshot: { next_id: 1 }, warning: expect.stringContaining('the file is empty') });
    await reread.write(snapshot({ next_id: 3 }));
    expect(JSON.parse(readFileSync(reread.backupPath, 'utf8')).next_id).toBe(1);

    writeFileSync(file.path, 'x');
    writeFileSync(file.backupPath, 'y');
    expect(new SnapshotFile(file.path).read()).toMatchObject({ kind: 'unreadable', reason: expect.stringContaining('and so is its backup') });
  });
});
