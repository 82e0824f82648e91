const BARS = '▁▂▃▄▅▆▇█';

/**
 * The last `width` values as a bar per value, scaled from 0 to `max` (the values' own peak when larger).
 * Empty slots on the left stay blank, so a fresh series grows from the right like `top`'s graphs.
 */
export function sparkline(values: readonly number[], width: number, max: number): string {
  if (width <= 0) return '';
  const shown = values.slice(-width);
  const top = Math.max(max, ...shown, Number.EPSILON);
  const bars = shown.map((v) => BARS[Math.min(BARS.length - 1, Math.max(0, Math.round((v / top) * (BARS.length - 1))))]);
  return ' '.repeat(width - shown.length) + bars.join('');
}
