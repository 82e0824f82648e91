import type { FSWatcher } from 'chokidar';
import { Cron } from 'croner';
import type { AppConfig } from '../config/app-config.js';
import type { TriggersInfo } from '../protocol/messages.js';
import { watchMatcher } from './watch-matcher.js';


/**
 * The two things besides a crash that restart an app: a change in its watched files (debounced,
 * so that a burst gives one restart after it settles) and its cron_restart schedule.
 * Active from start to stop: `sup stop` stops watching, `sup start`/`restart` resumes it.
 */
export class RestartTriggers {
  private watcher: FSWatcher | undefined;
  private cron: Cron | undefined;
  private debounce: NodeJS.Timeout | undefined;
  private firstChange: string | undefined;
  private generation = 0;

  constructor(
    private readonly config: () => AppConfig,
    private readonly ownFiles: () => string[],
    private readonly fire: (reason: string) => void,
    private readonly log: (message: string) => void,
  ) {}

  async start(): Promise<void> {
    const config = this.config();
    if (config.cron_restart && !this.cron) {
      this.cron = new Cron(config.cron_restart, () => this.fire(`cron_restart (${config.cron_restart})`));
    }
    if (config.watch.length === 0 || this.watcher) return;
    const generation = ++this.generation;
    const matcher = watchMatcher(config.watch, config.ignore_watch, config.cwd, this.ownFiles());
    // chokidar is loaded only by daemons that watch something.
    const { watch } = await import('chokidar');
    if (generation !== this.generation) return; // stopped while loading
    this.watcher = watch(matcher.roots, { ignoreInitial: true, ignored: (path: string) => matcher.isIgnored(path) });
    this.watcher.on('all', (_event, path) => {
      if (matcher.isTrigger(path)) this.changed(path, config.watch_delay);
    });
    this.watcher.on('error', (err) => this.log(`${config.name}: watching failed: ${(err as Error).message}`));
    await new Promise<void>((resolve) => this.watcher?.once('ready', () => resolve()));
  }

  async stop(): Promise<void> {
    this.generation++;
    clearTimeout(this.debounce);
    this.debounce = undefined;
    this.cron?.stop();
    this.cron = undefined;
    const watcher = this.watcher;
    this.watcher = undefined;
    await watcher?.close();
  }

  info(): TriggersInfo {
    const config = this.config();
    return {
      watch: config.watch.length
        ? { paths: config.watch, ignored: config.ignore_watch, delay_ms: config.watch_delay, active: this.watcher !== undefined }
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
