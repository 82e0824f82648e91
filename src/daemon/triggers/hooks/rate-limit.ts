/**
 * Rate limiting of hooks, pure: per app and event, a fixed window that lets `burst` events through; the rest are
 * counted, and when the window ends one summary goes out instead of them (a crash loop sends a handful, not hundreds).
 */

export interface RatePolicy {
  burst: number;
  windowMs: number;
}

export interface RateWindow {
  start: number;
  sent: number;
  suppressed: number;
}

export type Admission = { send: true; window: RateWindow; opened: boolean } | { send: false; window: RateWindow };

/** opened: a new window starts with this event (the caller arms its end). */
export function admit(window: RateWindow | undefined, now: number, policy: RatePolicy): Admission {
  if (!window || now >= window.start + policy.windowMs) {
    return { send: true, window: { start: now, sent: 1, suppressed: 0 }, opened: true };
  }
  if (window.sent < policy.burst) return { send: true, window: { ...window, sent: window.sent + 1 }, opened: false };
  return { send: false, window: { ...window, suppressed: window.suppressed + 1 } };
}

/** What a closed window owes: a summary of the events it held back, or nothing. */
export function summaryOf(window: RateWindow, event: string, app: string, policy: RatePolicy): string | null {
  if (window.suppressed === 0) return null;
  const seconds = Math.round(policy.windowMs / 1000);
  return `${window.suppressed} more ${event} event(s) of ${app} within ${seconds} s were not sent (rate limit: ${policy.burst} per ${seconds} s)`;
}
