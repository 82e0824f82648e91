export type RespawnDecision = { action: 'respawn'; delayMs: number } | { action: 'give-up'; reason: string };

export const RESPAWN_WINDOW_MS = 60_000;
export const MAX_RESPAWNS_IN_WINDOW = 5;
const FIRST_BACKOFF_MS = 100;
const MAX_BACKOFF_MS = 2000;

/**
 * The guardian's one decision when its daemon died without saying goodbye: start a new one at once the first
 * time, then with a doubling delay, and not more than 5 times a minute (a daemon that keeps dying has a problem
 * a restart will not fix). `recent` holds the times of earlier respawns.
 */
export function decideRespawn(recent: readonly number[], now: number): RespawnDecision {
  const inWindow = recent.filter((t) => now - t < RESPAWN_WINDOW_MS).length;
  if (inWindow >= MAX_RESPAWNS_IN_WINDOW) {
    return { action: 'give-up', reason: `it died ${inWindow + 1} times within ${RESPAWN_WINDOW_MS / 1000} s; not starting it again` };
  }
  return { action: 'respawn', delayMs: inWindow === 0 ? 0 : Math.min(FIRST_BACKOFF_MS * 2 ** (inWindow - 1), MAX_BACKOFF_MS) };
}

/** The respawn history travels from guardian to daemon to the next guardian in one variable: times in ms, comma-separated. */
export function parseRespawns(value: string | undefined): number[] {
  return (value ?? '')
    .split(',')
    .map(Number)
    .filter((t) => Number.isFinite(t) && t > 0);
}
