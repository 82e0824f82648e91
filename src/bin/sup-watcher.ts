import { runWatcherProcess } from '../runtime/watcher-process.js';

runWatcherProcess();
