import type { ClientRequest } from 'node:http';
import { outbound } from '../../../extra-ca.js';
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
      // Loaded at the first retry, not with the daemon.
      const { setTimeout: sleep } = process.getBuiltinModule('node:timers/promises');
      await sleep(decision.delayMs, undefined, { signal: opts.cancelled, ref: false });
    } catch {
      return { ok: false, error: 'abandoned: the daemon is stopping' };
    }
  }
}

/**
 * One POST on a connection of its own. node:http(s), not fetch: fetch loads undici into the daemon (Node 20: RSS +10 MB
 * at the first request, against +4 MB for node:http) and cannot take the certificates the daemon was given
 * (extra-ca.ts). A redirect is an answer (its status), not followed: a 3xx gives up at once, as a 4xx does (fetch's
 * redirect: 'error' made it a failure to retry).
 */
function postOnce(url: string, body: string, timeoutMs: number): Promise<Attempt> {
  return new Promise((resolve) => {
    const { http, tls } = outbound(url);
    const headers = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'user-agent': 'sup-hooks' };
    const failed = (err: Error) => resolve({ kind: 'no-answer', error: err.message });
    let req: ClientRequest;
    try {
      req = http.request(url, { method: 'POST', headers, agent: false, ...tls }, (res) => {
        // Read (and drop) the answer: the attempt ends with it.
        res.resume();
        res.once('end', () => resolve({ kind: 'status', status: res.statusCode ?? 0 }));
        res.on('error', failed);
      });
    } catch (err) {
      return failed(err as Error);
    }
    const timer = setTimeout(() => req.destroy(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    req.once('close', () => clearTimeout(timer));
    req.on('error', failed);
    req.end(body);
  });
}
