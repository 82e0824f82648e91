#!/usr/bin/env node
import { setFlagsFromString } from 'node:v8';

// The daemon idles most of the time and moves bytes natively; trading peak JS speed for memory
// saves about a third of its RSS. Set at run time, before any module loads, so that a V8 without
// these flags ignores them instead of refusing to start the daemon.
// Its young generation and V8 threads are set on its command line (own-flags.ts). Not --lite-mode: set at run time on
// Node 22 it crashes the daemon as soon as the ESM loader compiles its wasm lexer to import a CommonJS package.
setFlagsFromString('--optimize-for-size');
setFlagsFromString('--no-opt');

// With no keeper yet (a first command), one starts now, while this daemon loads its modules, instead of after.
const { startKeeperEarly } = await import('../daemon/launch/keeper-socket.js');
const keeperStarting = startKeeperEarly();

const { runDaemon } = await import('../daemon/main.js');
runDaemon({ kind: 'background', keeperStarting }).catch((err: unknown) => {
  process.stderr.write(`sup daemon failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
