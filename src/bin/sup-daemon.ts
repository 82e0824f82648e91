#!/usr/bin/env node
import { setFlagsFromString } from 'node:v8';

// The daemon idles most of the time and moves bytes natively; trading peak JS speed for memory
// saves about a third of its RSS. Set at run time, before the daemon's code runs (the bundle is compiled lazily), so
// that a V8 without these flags ignores them instead of refusing to start the daemon.
// Its young generation and V8 threads are set on its command line (own-flags.ts). Not --lite-mode: under 0.3 MiB saved.
setFlagsFromString('--optimize-for-size');
setFlagsFromString('--no-opt');

// No top-level await: this entry is bundled as CommonJS (scripts/bundle.js).
import('../daemon/main.js')
  .then(({ runDaemon }) => runDaemon({ kind: 'background' }))
  .catch((err: unknown) => {
    process.stderr.write(`sup daemon failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  });
