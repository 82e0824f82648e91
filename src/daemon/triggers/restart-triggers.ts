import type { Cron } from 'croner';
import { loadCron } from '../../cron.js';
import type { AppConfig } from '../../config/app-config.js';
import type { TriggersInfo } from '../../protocol/messages.js';
import type { WatcherHost } from './watcher-host.js';

/**
 * The two things besides a crash that restart an app: a change in its watched files (debounced,
 * so that a burst gives one restart after it settles) and its cron_restart schedule.
 * Active from start to stop: `sup stop` stops watching, `sup start`/`restart` resumes it.
 */
export class RestartTriggers {
  private watching: { state: 'off' } | { state: 'starting' } | { state: 'on'; unwatch: () => void } = { state: 'off' };
  private cron: Cron | undefined;
  private debounce: NodeJS.Timeout | undefined;
  private firstChange: string | undefined;
  /** Bumped by stop(), so that a scan finishing after a stop is undone at once. */
  private generation = 0;

  constructor(
    private readonly config: () => AppConfig,
    private readonly ownFiles: () => string[],
    private readonly fire: (reason: string) => void,
    private readonly watcher: WatcherHost,
  ) {}

  async start(): Promise<void> {
    const config = this.config();
    if (config.cron_restart && !this.cron) {
      const Cron = loadCron();
      const generation = this.generation;
      const cron = new Cron(config.cron_restart, () => this.fire(`cron_restart (${config.cron_restart})`));
      if (generation !== this.generation || this.cron) cron.stop();
      else this.cron = cron;
    }
    if (config.watch.length === 0 || this.watching.state !== 'off') return;
    const generation = this.generation;
    this.watching = { state: 'starting' };
    const spec = { watch: config.watch, ignore: config.ignore_watch, cwd: config.cwd, alwaysIgnored: this.ownFiles() };
    const unwatch = await this.watcher.watch(spec, (path) => this.changed(path, config.watch_delay));
    if (generation === this.generation) this.watching = { state: 'on', unwatch };
    else unwatch(); // stopped while the scan ran
  }

  async stop(): Promise<void> {
    this.generation++;
    clearTimeout(this.debounce);
    this.debounce = undefined;
    this.cron?.stop();
    this.cron = undefined;
    if (this.watching.state === 'on') this.watching.unwatch();
    this.watching = { state: 'off' };
  }

  info(): TriggersInfo {
    const config = this.config();
    return {
      watch: config.watch.length
        ? { paths: config.watch, ignored: config.ignore_watch, delay_ms: config.watch_delay, active: this.watching.state === 'on' }
        : null,
      cron: config.cron_restart ? { pattern: config.cron_restart, next_run: this.cron?.nextRun()?.getTime() ?? null } : null,
    };
  }

  private changed(path: string, delayMs: number): void {
    this.firstChange ??= path;
    clearTimeout(this.debounce);
    this.debounce = setTimeout(() => {
      const first = this.firstChange!;
      this.firstChange = undefined;
      this.debounce = undefined;
      this.fire(`file changed: ${first}`);
    }, delayMs);
  }
}
