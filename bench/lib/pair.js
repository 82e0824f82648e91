import { summarize } from './stats.js';

/**
 * One row of the table: sup and PM2 measured in the same run. `sup` and `pm2` are arrays of samples, or
 * { na: reason } when that side could not be measured (PM2 not installed, a step that failed).
 * `better` says which way is good ('lower' by default), for the reader of the JSON.
 */
export function pairRow({ id, label, unit, sup, pm2, better = 'lower', note }) {
  return { id, label, unit, better, note, sup: side(sup), pm2: side(pm2) };
}

/** A reference both tools share (node -e 0, a bare node:cluster): shown once, with no ratio. */
export function floorRow({ id, label, unit, samples, note }) {
  return { id, label, unit, floor: true, note, sup: side(samples), pm2: { same: true } };
}

function side(samples) {
  if (samples === undefined) return { na: 'not measured' };
  if (!Array.isArray(samples)) return samples;
  const measured = samples.filter((v) => typeof v === 'number' && Number.isFinite(v));
  return measured.length > 0 ? summarize(measured) : { na: 'no sample' };
}

/**
 * Runs `step(tool, round)` for `rounds` rounds over the tools present, alternating which goes first each round,
 * so that background load and warm caches favour neither side. Collects what each step returns.
 */
export async function alternate(rounds, tools, step) {
  const out = Object.fromEntries(tools.map((t) => [t, []]));
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? tools : [...tools].reverse();
    for (const tool of order) out[tool].push(await step(tool, round));
  }
  return out;
}
