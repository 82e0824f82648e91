import { describe, expect, it } from 'vitest';
import { resolvePaths } from '../../paths.js';
import { Keeper } from './keeper.js';

describe('Keeper', () => {
  it('has nothing to stop or say goodbye to when it was never started (a daemon stopped before it needed one)', async () => {
    const paths = resolvePaths({ SUP_HOME: '/nonexistent/sup-home' });
    const events = { log: () => undefined, written: async () => undefined, replaced: async () => undefined };
    // Never started: these resolve at once, and no keeper is connected to or started.
    await expect(new Keeper(paths, false, events).shutdown()).resolves.toBeUndefined();
    await expect(new Keeper(paths, false, events).farewell(true)).resolves.toBeUndefined();
  });
});
