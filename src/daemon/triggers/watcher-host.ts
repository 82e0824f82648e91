import { fork, type ChildProcess } from 'node:child_process';
import { supFile } from '../../install-paths.js';
import type { FromWatcher, ToWatcher, WatchSpec } from '../../protocol/watcher.js';
import { withExtraCaMoved } from '../../extra-ca.js';

interface Subscription {
  spec: WatchSpec;
  onChange(path: string): void;
  ready: () => void;
}

/**
 * The daemon's side of the watcher process: started with the first watch, ended with the last,
 * started again (with every active watch) if it dies.
 */
export class WatcherHost {
  private child: ChildProcess | undefined;
  private readonly subscriptions = new Map<number, Subscription>();
  private nextKey = 1;

  constructor(private readonly log: (message: string) => void) {}

  /** Resolves once the initial scan is done; returns the way to stop watching. */
  async watch(spec: WatchSpec, onChange: (path: string) => void): Promise<() => void> {
    const key = this.nextKey++;
    const ready = new Promise<void>((resolve) => this.subscriptions.set(key, { spec, onChange, ready: resolve }));
    this.send({ type: 'watch', key, spec });
    await ready;
    return () => this.unwatch(key);
  }

  private unwatch(key: number): void {
    if (!this.subscriptions.delete(key)) return;
    // A dead watcher watches nothing: no need to start one just to say so.
    if (this.child?.connected) this.child.send({ type: 'unwatch', key } satisfies ToWatcher, () => undefined);
    if (this.subscriptions.size === 0) {
      this.child?.kill('SIGTERM');
      this.child = undefined;
    }
  }

  private send(message: ToWatcher): void {
    const child = this.ensure();
    if (child.connected) child.send(message, () => undefined);
  }

  private ensure(): ChildProcess {
    if (this.child?.connected) return this.child;
    // withExtraCaMoved: a `sup run` daemon's own environment still has NODE_EXTRA_CA_CERTS, which the watcher never uses.
    const env = withExtraCaMoved(process.env);
    const child = fork(supFile('watcher'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: [], env });
    child.on('error', () => undefined);
    child.on('message', (message: FromWatcher) => {
      const sub = this.subscriptions.get(message.key);
      if (!sub) return;
      if (message.type === 'ready') sub.ready();
      else if (message.type === 'change') sub.onChange(message.path);
      else this.log(`watching failed: ${message.message}`);
    });
    child.once('exit', (code, signal) => {
      if (this.child !== child) return;
      this.child = undefined;
      if (this.subscriptions.size === 0) return;
      this.log(`the watcher process exited (${signal ?? `code ${code}`}); starting it again`);
      for (const [key, sub] of this.subscriptions) this.send({ type: 'watch', key, spec: sub.spec });
    });
    this.child = child;
    return child;
  }
}
