import { watch, type FSWatcher } from 'chokidar';
import { watchMatcher } from '../daemon/triggers/watch-matcher.js';
import type { FromWatcher, ToWatcher } from '../protocol/watcher.js';

/**
 * The daemon's file watcher, in a process of its own: chokidar keeps a watcher per file (about
 * 10 KB each) and scans a tree for seconds before it is ready; here that costs neither the daemon's
 * memory nor its responsiveness. It exits with the daemon and when nothing is watched.
 */
export function runWatcherProcess(): void {
  const watchers = new Map<number, FSWatcher>();
  const send = (message: FromWatcher) => process.connected && process.send!(message);

  process.on('message', (message: ToWatcher) => {
    if (message.type === 'unwatch') {
      void watchers.get(message.key)?.close();
      watchers.delete(message.key);
      return;
    }
    const { key, spec } = message;
    const matcher = watchMatcher(spec.watch, spec.ignore, spec.cwd, spec.alwaysIgnored);
    const watcher = watch(matcher.roots, { ignoreInitial: true, ignored: (path: string) => matcher.isIgnored(path) });
    watchers.set(key, watcher);
    watcher.on('all', (_event, path) => matcher.isTrigger(path) && send({ type: 'change', key, path }));
    watcher.on('error', (err) => send({ type: 'error', key, message: (err as Error).message }));
    watcher.once('ready', () => send({ type: 'ready', key }));
  });
  process.on('disconnect', () => process.exit(0));
}
