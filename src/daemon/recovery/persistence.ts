import { SupError } from '../../errors.js';
import type { ResponseOf } from '../../protocol/messages.js';
import { SnapshotFile } from '../../state/snapshot-file.js';
import { planRecovery, type Phase, type Snapshot } from '../../state/snapshot.js';
import { StateStore } from '../../state/state-store.js';
import { endLeftovers, findLeftovers, type Leftover } from './leftovers.js';
import type { AppsContext } from '../apps/context.js';
import { restoreApps, saveApps } from './saved-apps.js';

// Processes a dead daemon left get at most this long for their stop signal: the apps must be back within seconds.
const LEFTOVER_STOP_MS = 1500;

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
   * At start (see planRecovery): end what an earlier daemon of this boot left running, then bring back its apps
   * (or, at boot, the saved list). The state is written only once this is done: a daemon killed during recovery
   * leaves the previous state for the next one, never a half-restored list.
   */
  async recover(resurrectAtStart: boolean): Promise<void> {
    const found = this.readQuietly(this.live);
    const plan = planRecovery(found, this.boot, resurrectAtStart);
    try {
      const ending = plan.endLeftovers && found ? this.endLeftovers(found) : new Map<string, Promise<number>>();
      if (plan.restore === 'live' && found) {
        const { processes, skipped } = await restoreApps(this.apps, found, (app) => ending.get(app) ?? Promise.resolve(0));
        const how = found.phase === 'handover' ? 'handed over by' : 'left by';
        this.log(
          `restored ${found.apps.length} app(s), ${processes.length} instance(s), ${how} daemon ${found.daemon_pid}${skipped.length ? `; skipped ${skipped.join(', ')}` : ''}`,
        );
      }
      const ended = (await Promise.all(ending.values())).reduce((a, b) => a + b, 0);
      if (ended > 0) this.log(`ended ${ended} process(es) left running by daemon ${found?.daemon_pid}`);
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

  /** Ends what earlier daemons left running, each app's with its stop signal; per app name, when its processes are gone. */
  private endLeftovers(previous: Snapshot): Map<string, Promise<number>> {
    const configs = new Map(previous.apps.map((a) => [a.config.name, a.config]));
    const byApp = new Map<string, Leftover[]>();
    for (const leftover of findLeftovers(this.home)) {
      const key = leftover.app ?? '';
      byApp.set(key, [...(byApp.get(key) ?? []), leftover]);
    }
    return new Map(
      [...byApp].map(([app, found]) => {
        const config = configs.get(app);
        const rule = {
          signal: (config?.kill_signal ?? 'SIGTERM') as NodeJS.Signals,
          timeoutMs: Math.min(config?.kill_timeout ?? LEFTOVER_STOP_MS, LEFTOVER_STOP_MS),
        };
        return [app, endLeftovers(found, rule)];
      }),
    );
  }
}
