import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect } from 'vitest';
import { fixture } from './harness/paths.js';
import { isAlive, killQuietly } from './harness/proc.js';
import { holdsFor, waitFor } from './harness/wait.js';
import { describeApp, killLeftovers, waitForLogLine, writeEcosystem } from './helpers/apps.js';
import { it } from './helpers/sup-test.js';

/** Ecosystem keys through the real CLI and daemon: autostart, treekill, env_file. */

const VARS = fixture('print-vars.js');

describe('ecosystem keys', () => {
  /** Processes an app spawned that sup may (by design, with treekill false) leave running: ended by pid. */
  let spawned: number[] = [];
  it.afterEach(({ sup }) => {
    killLeftovers(sup, spawned);
    spawned = [];
  });

  it('autostart: false registers the app stopped, without a process, and `sup start NAME` starts it', async ({ sup, dir }) => {
    const file = writeEcosystem(dir, [
      { name: 'later', script: VARS, args: ['WHO'], env: { WHO: 'later' }, autostart: false },
      { name: 'now', script: VARS, args: ['WHO'], env: { WHO: 'now' } },
    ]);
    const out = await sup.ok(['start', file]);
    expect(out).toContain('added later stopped');
    expect(out).toContain('started now');
    await sup.waitForStatus('now', 'online');
    await holdsFor('"later" to stay stopped with no pid', 500, async () => {
      const later = await sup.info('later');
      return later.status === 'stopped' && later.pid === null ? undefined : JSON.stringify(later);
    });

    const started = await sup.ok(['start', 'later']);
    expect(started).toContain('started later');
    const [later] = await sup.waitForStatus('later', 'online');
    expect(later!.pid).not.toBeNull();
    expect(isAlive(later!.pid!)).toBe(true);
    expect(later!.restarts).toBe(0);
    const line = await waitForLogLine(sup, 'later', new RegExp(`"pid":${later!.pid},`));
    expect(JSON.parse(line).vars).toEqual({ WHO: 'later' });
  });

  it('treekill: false stops only the main process, its child survives; the default stops the child too', async ({ sup, dir }) => {
    const file = writeEcosystem(dir, [
      { name: 'keep-child', script: fixture('spawn-child.js'), treekill: false, kill_timeout: 500 },
      { name: 'kill-child', script: fixture('spawn-child.js'), kill_timeout: 500 },
    ]);
    await sup.ok(['start', file]);
    const pidsOf = async (name: string) => {
      const found = JSON.parse(await waitForLogLine(sup, name, /"child":\d+/)) as { main: number; child: number };
      spawned.push(found.main, found.child);
      return found;
    };
    const keep = await pidsOf('keep-child');
    const kill = await pidsOf('kill-child');
    for (const pid of [keep.main, keep.child, kill.main, kill.child]) expect(isAlive(pid)).toBe(true);
    expect((await sup.info('keep-child')).pid).toBe(keep.main);

    await sup.ok(['stop', 'keep-child']);
    expect((await sup.info('keep-child')).status).toBe('stopped');
    expect(isAlive(keep.main)).toBe(false);
    await holdsFor(`the child (pid ${keep.child}) of a treekill: false app to survive its stop`, 500, () =>
      isAlive(keep.child) ? undefined : 'it was killed',
    );
    // sup leaves it to us by design: end it by its pid.
    killQuietly(keep.child);
    await waitFor(`pid ${keep.child} to exit after SIGKILL`, () => !isAlive(keep.child), 15_000);

    await sup.ok(['stop', 'kill-child']);
    expect(isAlive(kill.main)).toBe(false);
    expect(isAlive(kill.child)).toBe(false);
  });

  it("env_file: values of a dotenv file next to the ecosystem file reach the app, and the app's env wins", async ({ sup, dir }) => {
    writeFileSync(join(dir, '.env'), ['# settings', 'FROM_FILE=file-value', 'SHARED=from-file', 'QUOTED="two words"', ''].join('\n'));
    const file = writeEcosystem(dir, [
      {
        name: 'dotenv',
        script: VARS,
        args: ['FROM_FILE', 'SHARED', 'QUOTED', 'ONLY_ENV'],
        env_file: '.env',
        env: { SHARED: 'from-env', ONLY_ENV: 'x' },
      },
    ]);
    await sup.ok(['start', file]);
    const [p] = await sup.waitForStatus('dotenv', 'online');
    const line = await waitForLogLine(sup, 'dotenv', new RegExp(`"pid":${p!.pid},`));
    expect(JSON.parse(line).vars).toEqual({ FROM_FILE: 'file-value', SHARED: 'from-env', QUOTED: 'two words', ONLY_ENV: 'x' });
    const [described] = await describeApp(sup, 'dotenv');
    expect(described!.config.env_file).toBe(join(dir, '.env'));
  });

  it('a missing env_file fails the start with a message naming the file, and no app of the file starts', async ({ sup, dir }) => {
    await sup.ok(['ping']);
    const file = writeEcosystem(dir, [
      { name: 'fine', script: VARS },
      { name: 'needs-env', script: VARS, env_file: 'missing.env' },
    ]);
    const result = await sup.run(['start', file]);
    expect(result.code, result.stdout).not.toBe(0);
    expect(result.stderr).toContain('missing.env');
    expect(result.stderr).toContain('"needs-env"');
    await holdsFor('no app to be added', 300, async () => {
      const list = await sup.list();
      return list.length === 0 ? undefined : JSON.stringify(list);
    });
  });
});
