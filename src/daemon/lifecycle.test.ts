import { describe, expect, it } from 'vitest';
import { DaemonLifecycle } from './lifecycle.js';

const lifecycle = () =>
  new DaemonLifecycle({ stopApps: async () => 0, exit: async () => undefined, exitCode: () => 0, log: () => undefined });

const settled = async (p: Promise<unknown>) => {
  let done = false;
  void p.then(() => (done = true));
  await new Promise((r) => setImmediate(r));
  return done;
};

describe('DaemonLifecycle', () => {
  it('says when a request first needs the daemon running, once', async () => {
    const l = lifecycle();
    expect(await settled(l.needed)).toBe(false);
    l.need();
    l.need();
    expect(await settled(l.needed)).toBe(true);
  });

  it('stops waiting for a need once it begins to stop (a first command’s daemon then starts no keeper)', async () => {
    const l = lifecycle();
    void l.stopApps();
    expect(await settled(l.needed)).toBe(true);
    expect(l.accepting).toBe(false);
  });

  it('is started once running, and accepts requests until it stops', async () => {
    const l = lifecycle();
    expect(l.accepting).toBe(true);
    expect(await settled(l.started)).toBe(false);
    l.running();
    expect(await settled(l.started)).toBe(true);
    expect(l.phase).toBe('running');
    await l.stopApps();
    expect(l.accepting).toBe(false);
  });
});
