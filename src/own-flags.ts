/**
 * Node and V8 flags for sup's own processes (daemon, keeper), given on their command line by whoever starts them
 * (the bin files set the rest at run time). Measured with 5 cluster × 2 + 5 fork apps (docs/benchmarks.md, own PSS):
 * the daemon's PSS falls by 2–3 MB, its CPU at 200 idle processes unchanged.
 * - a 1 MB young generation: on the command line, because V8 sizes the heap before any JS could set it;
 * - one V8 worker thread instead of four: collecting a heap this small is quick, and each thread costs a stack;
 * Not here: --lite-mode (Node 22 and 24 print a warning about wasm for it on the command line, and set at run time
 * it crashes Node 22's daemon when the ESM loader compiles its wasm lexer; the keeper, on built-ins only, keeps it);
 * --jitless (measured larger). Node refuses to start on an unknown flag: a flag goes here once checked on 20, 22, 24.
 */
export const OWN_PROCESS_FLAGS: readonly string[] = ['--max-semi-space-size=1', '--v8-pool-size=1'];
