import { setTimeout as sleep } from 'node:timers/promises';
import type { HookOutcome } from './run-command.js';
import { type Attempt, decideRetry, type RetryPolicy } from './retry.js';

/** POSTs the event as JSON (Slack, Discord, ntfy and generic receivers all take one), retrying as retry.ts decides. */
export async function postWebhook(
  url: string,
  body: string,
  opts: { timeoutMs: number; retry: RetryPolicy; cancelled: AbortSignal },
): Promise<HookOutcome> {
  for (let attempt = 1; ; attempt++) {
    const decision = decideRetry(await postOnce(url, body, opts.timeoutMs), attempt, opts.retry);
    if (decision.action === 'done') return { ok: true };
    if (decision.action === 'give-up') return { ok: false, error: decision.error };
    try {
      await sleep(decision.delayMs, undefined, { signal: opts.cancelled, ref: false });
    } catch {
      return { ok: false, error: 'abandoned: the daemon is stopping' };
    }
  }
}

async function postOnce(url: string, body: string, timeoutMs: number): Promise<Attempt> {
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'sup-hooks' },
      body,
      redirect: 'error',
      signal: AbortSignal.timeout(timeoutMs),
    });
    // Read (and drop) the answer so the connection is freed.
    await res.arrayBuffer().catch(() => undefined);
    return { kind: 'status', status: res.status };
  } catch (err) {
    const e = err as Error & { cause?: { message?: string } };
    const error = e.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : (e.cause?.message ?? e.message);
    return { kind: 'no-answer', error };
  }
}
