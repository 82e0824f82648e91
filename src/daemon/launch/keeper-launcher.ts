import type { AppConfig } from '../../config/app-config.js';
import { SUP_ENV } from '../../env.js';
import type { ChildTag, KeptChild } from '../../protocol/keeper.js';
import type { Keeper } from './keeper.js';
import { KeeperHandle } from './keeper-handle.js';
import type { HandleEvents, Launcher, ProcessHandle } from './launcher.js';
import { spawnSpec } from './spawn-spec.js';

/** One app's launcher: every process goes through the keeper, in fork and cluster mode alike. */
export class KeeperLauncher implements Launcher {
  constructor(
    private readonly keeper: Keeper,
    private readonly home: string,
    private readonly config: () => AppConfig,
  ) {}

  launch(env: Record<string, string>, events: HandleEvents, tag: ChildTag): ProcessHandle {
    const config = this.config();
    const key = this.keeper.newKey();
    const run = String(key);
    const handle = new KeeperHandle(key, config.exec_mode, { home: this.home, run }, config.drain_http, this.keeper, events);
    void this.keeper
      .link()
      .then((link) => {
        link.route(key, handle);
        // Every process carries its keeper's pid and its run's key: what a dead keeper or a crashed run left is found by them.
        const marked = { ...env, [SUP_ENV.keeperPid]: String(link.state.pid), [SUP_ENV.runKey]: run };
        link.send({ type: 'spawn', key, tag, spec: spawnSpec(config, marked) });
      })
      .catch((err: Error) => handle.deliver({ type: 'spawn-failed', key, error: `no keeper: ${err.message}` }));
    return handle;
  }

  adopt(child: KeptChild, events: HandleEvents): ProcessHandle {
    const config = this.config();
    const handle = new KeeperHandle(
      child.key,
      child.mode,
      { home: this.home, run: String(child.key) },
      config.drain_http,
      this.keeper,
      events,
    );
    handle.adopted(child.pid);
    void this.keeper.link().then((link) => link.route(child.key, handle));
    return handle;
  }
}
