// @ts-check
/** Waiting on real processes without bare sleeps: poll with a deadline, and fail with what was seen. */

/** @param {number} ms */
export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Polls `probe` until it returns a value other than undefined/false and resolves with it. After the deadline it
 * fails with the last probe's value (or error) and, when given, `seen()`: what the caller watched meanwhile. The
 * deadline only bounds a failure (a passing wait ends as soon as it can): 20 s unless told, which holds on a loaded
 * machine where starting a CLI alone can take seconds.
 * @template T
 * @param {string} what
 * @param {() => Promise<T | undefined | false> | T | undefined | false} probe
 * @param {number} [timeoutMs]
 * @param {() => unknown} [seen]
 * @param {number} [intervalMs] between two probes
 * @returns {Promise<T>}
 */
export async function waitFor(what, probe, timeoutMs = 20_000, seen = () => undefined, intervalMs = 25) {
  const deadline = Date.now() + timeoutMs;
  /** @type {unknown} */
  let last;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
      last = value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) {
      const context = seen();
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}; last probe: ${String(last)}${context === undefined ? '' : `\nseen: ${JSON.stringify(context, null, 2)}`}`,
      );
    }
    await sleep(intervalMs);
  }
}

/**
 * Checks a condition again and again for a while, to show that something stays true (an app that must not be
 * restarted, say). Fails at the first probe that returns a complaint.
 * @param {string} what
 * @param {number} durationMs
 * @param {() => Promise<string | undefined> | string | undefined} probe
 * @returns {Promise<void>}
 */
export async function holdsFor(what, durationMs, probe) {
  const end = Date.now() + durationMs;
  for (;;) {
    const complaint = await probe();
    if (complaint !== undefined) throw new Error(`expected ${what} for ${durationMs} ms, but: ${complaint}`);
    if (Date.now() >= end) return;
    await sleep(50);
  }
}
