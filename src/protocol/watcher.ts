/** Messages between the daemon and its watcher process (chokidar runs there, off the daemon's heap and event loop). */

export interface WatchSpec {
  watch: string[];
  ignore: string[];
  cwd: string;
  /** Paths ignored with everything below them (sup's own log files). */
  alwaysIgnored: string[];
}

export type ToWatcher = { type: 'watch'; key: number; spec: WatchSpec } | { type: 'unwatch'; key: number };

export type FromWatcher =
  | { type: 'ready'; key: number }
  | { type: 'change'; key: number; path: string }
  | { type: 'error'; key: number; message: string };
