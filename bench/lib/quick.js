// SUP_BENCH_QUICK=1 keeps a whole `npm run bench` to a few minutes: fewer rounds, shorter windows, smaller scales.
export const QUICK = /^(1|true|yes)$/i.test(process.env.SUP_BENCH_QUICK ?? '');

/** `full` normally, `quick` under SUP_BENCH_QUICK=1. */
export const pick = (full, quick) => (QUICK ? quick : full);
