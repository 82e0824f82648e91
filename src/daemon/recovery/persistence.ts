import { SupError } from '../../errors.js';
import type { ResponseOf } from '../../protocol/messages.js';
import { SnapshotFile } from '../../state/snapshot-file.js';
import { planRecovery, type Phase, type Snapshot } from '../../state/snapshot.js';
import { StateStore } from '../../state/state-store.js';
import type { KeeperState } from '../launch/keeper-link.js';
import { endLeftovers, endLeftoversByApp, findLeftovers } from './leftovers.js';
import type { AppsContext } from '../apps/context.js';
import { heldByKey, restoreApps, saveApps } from './saved-apps.js';

/**
 * The daemon's memory on disk: the live state (every change, for a daemon that starts after a crash)
 * and the dump (`sup save`, for `sup resurrect` and boot).
 */
export class Persistence {
  private readonly home: string;
  private readonly live: SnapshotFile;
  private readonly dump: SnapshotFile;
  readonly store: StateStore;

  constructor(
    paths: { home: string; stateFile: string; dumpFile: string },
    private readonly apps: AppsContext,
    private readonly boot: string,
    private readonly log: (message: string) => void,
  ) {
    this.home = paths.home;
    this.live = new SnapshotFile(paths.stateFile);
    this.dump = new SnapshotFile(paths.dumpFile);
    this.store = new StateStore(this.live, (phase) => this.snapshot(phase), log);
  }

  snapshot(phase: Phase): Snapshot {
    return { format: 1, saved_at: Date.now(), phase, boot: this.boot, daemon_pid: process.pid, ...saveApps(this.apps) };
  }

  /**
   * At start (see planRecovery): take over what the keeper still holds, end what a dead keeper left running, then
   * bring back the other apps (or, at boot, the saved list). The state is written only once this is done: a daemon
   * killed during recovery leaves the previous state for the next one, never a half-restored list.
   */
  async recover(resurrectAtStart: boolean, kept: KeeperState): Promise<void> {
    const found = this.readQuietly(this.live);
    const plan = planRecovery(found, this.boot, resurrectAtStart);
    const held = heldByKey(kept.children, found);
    try {
      const configs = new Map(found?.apps.map((a) => [a.config.name, a.config]));
      const ending = endLeftoversByApp(findLeftovers(this.home, kept.pid), (app) => configs.get(app));
      if (plan.restore === 'live' && found) {
        const clear = (app: string) => ending.get(app) ?? Promise.resolve(0);
        const { processes, skipped, adopted } = await restoreApps(this.apps, found, clear, held);
        const how = found.phase === 'handover' ? 'handed over by' : 'left by';
        this.log(
          `restored ${found.apps.length} app(s), ${processes.length} instance(s) (${adopted} still running, taken over), ${how} daemon ${found.daemon_pid}${skipped.length ? `; skipped ${skipped.join(', ')}` : ''}`,
        );
      }
      // What the keeper holds and no saved instance claims (started the moment before the state was written) goes.
      const unclaimed = [...held.values()];
      if (unclaimed.length > 0) this.log(`ending ${unclaimed.length} process(es) the keeper held for no known instance`);
      const ended = (await Promise.all([...ending.values(), endLeftovers(unclaimed, 'SIGTERM', 1500)])).reduce((a, b) => a + b, 0);
      if (ended > 0) this.log(`ended ${ended} process(es) left running`);
      if (plan.restore === 'dump') await this.resurrectAtStart();
    } finally {
      await this.store.flush();
    }
  }

  private async resurrectAtStart(): Promise<void> {
    if (this.dump.read().kind === 'missing') return this.log(`nothing to resurrect: no ${this.dump.path} (sup save writes it)`);
    const result = await this.resurrect();
    this.log(`resurrected ${result.processes.length} instance(s) from ${this.dump.path}${result.warning ? ` (${result.warning})` : ''}`);
  }

  async save(force: boolean): Promise<ResponseOf<'save'>> {
    const snapshot = this.snapshot('running');
    if (snapshot.apps.length === 0 && !force) {
      const previous = this.readQuietly(this.dump);
      if (previous && previous.apps.length > 0) {
        throw new SupError(
          'REFUSED',
          `no app is running, and saving would empty the saved list of ${previous.apps.length} app(s) in ${this.dump.path}; add --force to do it anyway`,
        );
      }
    }
    await this.dump.write(snapshot);
    return { file: this.dump.path, apps: snapshot.apps.length, instances: snapshot.apps.reduce((n, a) => n + a.instances.length, 0) };
  }

  async resurrect(): Promise<ResponseOf<'resurrect'>> {
    const read = this.dump.read();
    if (read.kind === 'missing') throw new SupError('NOT_FOUND', `there is no saved list (${this.dump.path}); \`sup save\` writes one`);
    if (read.kind === 'unreadable') throw new SupError('INVALID_CONFIG', `cannot resurrect: ${read.reason}`);
    if (read.warning) this.log(read.warning);
    const { processes, skipped } = await restoreApps(this.apps, read.snapshot);
    return { processes, skipped, warning: read.warning ?? null };
  }

  private readQuietly(file: SnapshotFile): Snapshot | undefined {
    const read = file.read();
    if (read.kind === 'unreadable') this.log(`ignoring ${read.reason}`);
    if (read.kind !== 'found') return undefined;
    if (read.warning) this.log(read.warning);
    return read.snapshot;
  }
}
