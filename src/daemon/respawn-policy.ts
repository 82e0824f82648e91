/** How the daemon under a guardian ended. */
export interface DaemonExit {
  code: number | null;
  signal: string | null;
  /** It had bound the control socket: a daemon that fails before that has a problem a restart will not fix. */
  ready: boolean;
}

export type RespawnDecision =
  | { action: 'exit'; code: number; reason: string }
  | { action: 'respawn'; delayMs: number; reason: string }
  | { action: 'give-up'; reason: string };

export const RESPAWN_WINDOW_MS = 60_000;
export const MAX_RESPAWNS_IN_WINDOW = 5;
const FIRST_BACKOFF_MS = 100;
const MAX_BACKOFF_MS = 2000;

/**
 * The guardian's one decision: a daemon that stopped on request (exit 0) or never came up is not restarted;
 * one that died is, at once the first time, then with a doubling delay, and not more than 5 times a minute.
 * `recent` holds the times of earlier respawns.
 */
export function decideRespawn(exit: DaemonExit, recent: readonly number[], now: number): RespawnDecision {
  const how = exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
  if (exit.code === 0 && exit.signal === null) return { action: 'exit', code: 0, reason: 'the daemon stopped' };
  if (!exit.ready) return { action: 'exit', code: exit.code ?? 1, reason: `the daemon ${how} before it was ready` };
  const inWindow = recent.filter((t) => now - t < RESPAWN_WINDOW_MS).length;
  if (inWindow >= MAX_RESPAWNS_IN_WINDOW) {
    return { action: 'give-up', reason: `the daemon ${how}, its ${inWindow + 1}th death within ${RESPAWN_WINDOW_MS / 1000} s; not restarting it again` };
  }
  const delayMs = inWindow === 0 ? 0 : Math.min(FIRST_BACKOFF_MS * 2 ** (inWindow - 1), MAX_BACKOFF_MS);
  return { action: 'respawn', delayMs, reason: `the daemon ${how}; starting a new one${delayMs ? ` in ${delayMs} ms` : ''}` };
}
