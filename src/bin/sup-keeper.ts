#!/usr/bin/env node
import { setFlagsFromString } from 'node:v8';

// The keeper holds every app and relays bytes; it runs little JS. Smaller young generation and no optimizing tiers
// keep its memory small and constant; set at run time, so that a V8 without a flag ignores it.
for (const flag of ['--max-semi-space-size=1', '--lite-mode', '--optimize-for-size']) setFlagsFromString(flag);

// It loads only Node's own modules and sup's small pure ones (see keeper/main.ts). No top-level await: this entry is
// bundled as CommonJS (scripts/bundle.js).
import('../keeper/main.js')
  .then(({ runKeeper }) => runKeeper())
  .catch((err: unknown) => {
    process.stderr.write(`sup keeper failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  });
