/** An increment_var's value for one instance (PORT 3000 → 3000, 3001...): PM2's rule, a base that is no number counts as 0. */
export function incremented(base: string | undefined, instance: number): number {
  const n = Number(base ?? 0);
  return (Number.isFinite(n) ? n : 0) + instance;
}
