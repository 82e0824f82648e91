import { HOOK_EVENTS, type HookEvent } from '../config/app-config.js';
import { SupError } from '../errors.js';

/** PM2's bus names (`pm2.launchBus`) where they map onto sup's events. */
const PM2_BUS_NAMES: Record<string, readonly HookEvent[]> = {
  'process:event': HOOK_EVENTS,
  'process:exception': ['crash'],
  'restart overlimit': ['errored'],
};

/** `sup events` filters → the events to show (none given: all). Pure; an unknown name is refused, listing the known. */
export function eventFilter(names: readonly string[]): Set<HookEvent> {
  if (names.length === 0) return new Set(HOOK_EVENTS);
  const wanted = new Set<HookEvent>();
  for (const name of names) {
    const mapped = (HOOK_EVENTS as readonly string[]).includes(name) ? [name as HookEvent] : PM2_BUS_NAMES[name];
    if (!mapped) {
      throw new SupError(
        'USAGE',
        `unknown event "${name}"; expected one of ${HOOK_EVENTS.join(', ')} (or PM2's ${Object.keys(PM2_BUS_NAMES)
          .map((n) => `"${n}"`)
          .join(', ')})`,
      );
    }
    for (const event of mapped) wanted.add(event);
  }
  return wanted;
}
