import { type FSWatcher, watch } from 'node:fs';
import { basename, dirname } from 'node:path';

/**
 * Wakes a client waiting for a daemon it started as soon as the daemon's socket file is created (fs.watch, inotify),
 * instead of at its next try: measured, the socket was there 14 ms before a 10 ms poll connected, on a machine whose
 * two cores were busy with the starting daemon and keeper. Where the folder cannot be watched, the tries alone remain.
 */
export class SocketWatch {
  private readonly watcher: FSWatcher | undefined;
  private readonly waiters = new Set<() => void>();

  constructor(socketPath: string) {
    const name = basename(socketPath);
    try {
      this.watcher = watch(dirname(socketPath), { persistent: false }, (_event, file) => file === name && this.wakeAll());
      this.watcher.on('error', () => this.close());
    } catch {
      this.watcher = undefined;
    }
  }

  /** Resolves once the socket file changed, or after `ms`. */
  next(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.waiters.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.waiters.add(wake);
    });
  }

  private wakeAll(): void {
    for (const wake of [...this.waiters]) wake();
  }

  close(): void {
    this.watcher?.close();
  }
}
