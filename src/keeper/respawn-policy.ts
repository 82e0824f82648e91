export type RespawnDecision = { action: 'respawn'; delayMs: number } | { action: 'give-up'; reason: string };

export const RESPAWN_WINDOW_MS = 60_000;
export const MAX_RESPAWNS_IN_WINDOW = 10;
// The apps run on under the keeper, so a daemon that died is brought back at once, a few times in a row; one that
// keeps dying waits longer each time, and past ten a minute it has a problem a restart will not fix.
const IMMEDIATE = 3;
const FIRST_BACKOFF_MS = 250;
const MAX_BACKOFF_MS = 5000;

/**
 * The keeper's one decision when its daemon died without saying goodbye. `recent` holds the times of earlier
 * respawns. While it gives up, the apps keep running; the next `sup` command starts a daemon, which adopts them.
 */
export function decideRespawn(recent: readonly number[], now: number): RespawnDecision {
  const inWindow = recent.filter((t) => now - t < RESPAWN_WINDOW_MS).length;
  if (inWindow >= MAX_RESPAWNS_IN_WINDOW) {
    return {
      action: 'give-up',
      reason: `it died ${inWindow + 1} times within ${RESPAWN_WINDOW_MS / 1000} s; not starting it again (the apps keep running; the next sup command starts one)`,
    };
  }
  const delayMs = inWindow < IMMEDIATE ? 0 : Math.min(FIRST_BACKOFF_MS * 2 ** (inWindow - IMMEDIATE), MAX_BACKOFF_MS);
  return { action: 'respawn', delayMs };
}
