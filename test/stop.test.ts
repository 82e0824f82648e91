import { describe, expect } from 'vitest';
import { fixture } from './harness/paths.js';
import { isAlive } from './harness/proc.js';
import type { SupHome } from './harness/sup-home.js';
import { waitFor } from './harness/wait.js';
import { describeApp, killLeftovers, waitForLogLine } from './helpers/apps.js';
import { it } from './helpers/sup-test.js';

interface TreePids {
  root: number;
  child: number;
  grandchild: number;
}

/** Starts a tree fixture and returns its pids once all three levels run. */
async function startTree(sup: SupHome, script: string, name: string, env: Record<string, string> = {}): Promise<TreePids> {
  await sup.ok(['start', fixture(script), '--name', name, '--kill-timeout', '500ms'], { env });
  const line = await waitForLogLine(sup, name, /"grandchild":\d+/);
  const pids = JSON.parse(line) as TreePids;
  for (const pid of Object.values(pids)) expect(isAlive(pid)).toBe(true);
  return pids;
}

function survivors(pids: TreePids): number[] {
  return Object.values(pids).filter(isAlive);
}

describe('stop', () => {
  let started: number[] = [];
  // Anything a buggy stop let escape is ended here, by pid (before the home's own cleanup).
  it.afterEach(({ sup }) => {
    killLeftovers(sup, started);
    started = [];
  });

  it('kills an app that ignores its stop signal with SIGKILL after kill_timeout', async ({ sup }) => {
    await sup.ok(['start', fixture('ignore-term.js'), '--name', 'stubborn', '--kill-timeout', '500ms']);
    await waitForLogLine(sup, 'stubborn', /ready/);
    const { pid } = await sup.info('stubborn');
    started.push(pid!);

    const t0 = Date.now();
    await sup.ok(['stop', 'stubborn']);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(500);
    expect(isAlive(pid!)).toBe(false);

    const [described] = await describeApp(sup, 'stubborn');
    expect(described).toMatchObject({ status: 'stopped', pid: null, exit_signal: 'SIGKILL' });
    expect(described!.status_reason).toMatch(/kill_timeout \(500 ms\).*SIGKILL/);
  });

  it('leaves no process of a 3-level tree after stop', async ({ sup }) => {
    const pids = await startTree(sup, 'tree.js', 'tree');
    started.push(...Object.values(pids));

    await sup.ok(['stop', 'tree']);
    expect(survivors(pids)).toEqual([]);
    expect((await sup.info('tree')).status).toBe('stopped');
  });

  it('kills a grandchild that ignores SIGTERM after kill_timeout', async ({ sup }) => {
    const pids = await startTree(sup, 'tree-stubborn.js', 'tree');
    started.push(...Object.values(pids));

    await sup.ok(['stop', 'tree']);
    expect(survivors(pids)).toEqual([]);
    expect((await describeApp(sup, 'tree'))[0]!.status_reason).toMatch(/SIGKILL/);
  });

  // Once root and child die of SIGTERM, the setsid grandchild belongs to init and is no longer in the tree;
  // sup must still wait for it and SIGKILL it after kill_timeout.
  it('kills a grandchild that ignores SIGTERM and left the process group (setsid)', async ({ sup }) => {
    const pids = await startTree(sup, 'tree-stubborn.js', 'tree', { TREE_DETACH: '1' });
    started.push(...Object.values(pids));

    await sup.ok(['stop', 'tree']);
    // The grandchild may need the SIGKILL grace to vanish; give it a moment rather than racing the kernel.
    await waitFor(
      'no survivor of the tree',
      () => survivors(pids).length === 0,
      2000,
      () => ({ pids, survivors: survivors(pids) }),
    );
  });
});
