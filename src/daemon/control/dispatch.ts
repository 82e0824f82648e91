import { SupError, toWireError } from '../../errors.js';
import type { RequestType, ServerFrame } from '../../protocol/messages.js';
import { check, type Shape } from '../../protocol/shape.js';
import { assertAccepting, handlers, type HandlerContext } from './handlers.js';
import { requestSchemas } from './request-schemas.js';

type Parsed = { ok: true; id: number; type: RequestType; body: unknown } | { ok: false; id: number | null; error: SupError };

/** Deeper than any real request; a frame nested millions deep would hold the daemon's one thread in JSON.parse for seconds. */
export const MAX_DEPTH = 128;

/** Whether brackets outside strings nest deeper than `limit`: one linear pass, no parse. */
export function nestsDeeperThan(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92)
        i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 || c === 123) {
      if (++depth > limit) return true;
    } else if (c === 93 || c === 125) depth--;
  }
  return false;
}

/** Checks the envelope of a raw frame, `{id, type, body}`: JSON, an integer id, a known type. The body is checked by its schema. */
export function parseFrame(text: string): Parsed {
  if (nestsDeeperThan(text, MAX_DEPTH)) {
    return { ok: false, id: null, error: new SupError('BAD_REQUEST', `a request may nest at most ${MAX_DEPTH} levels deep`) };
  }
  let frame: unknown;
  try {
    frame = JSON.parse(text);
  } catch {
    return { ok: false, id: null, error: new SupError('BAD_REQUEST', 'a request must be a JSON object') };
  }
  if (typeof frame !== 'object' || frame === null || Array.isArray(frame)) {
    return { ok: false, id: null, error: new SupError('BAD_REQUEST', 'a request must be a JSON object') };
  }
  // The body travels apart from the envelope, so that no request field can ever shadow "id" or "type".
  const { id, type, body = {}, ...extra } = frame as Record<string, unknown>;
  if (typeof id !== 'number' || !Number.isSafeInteger(id)) {
    return { ok: false, id: null, error: new SupError('BAD_REQUEST', 'a request needs an integer "id"') };
  }
  if (typeof type !== 'string' || !Object.hasOwn(requestSchemas, type)) {
    return { ok: false, id, error: new SupError('UNKNOWN_REQUEST', `unknown request type ${JSON.stringify(type)}`) };
  }
  const unexpected = Object.keys(extra);
  if (unexpected.length > 0) {
    return {
      ok: false,
      id,
      error: new SupError('BAD_REQUEST', `a request has only "id", "type" and "body"; got ${JSON.stringify(unexpected[0])}`),
    };
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, id, error: new SupError('BAD_REQUEST', 'a request\'s "body" must be an object') };
  }
  return { ok: true, id, type: type as RequestType, body };
}

/** The one place where a request's failure becomes an error reply; nothing a client sends can throw past it. */
export async function dispatch(text: string, ctx: HandlerContext): Promise<ServerFrame> {
  const parsed = parseFrame(text);
  if (!parsed.ok) return { kind: 'reply', id: parsed.id, ok: false, error: toWireError(parsed.error) };
  try {
    const checked = check(requestSchemas[parsed.type] as Shape<unknown>, parsed.body);
    if (!checked.ok) {
      const { path, message } = checked.issue;
      const where = path.length > 0 ? ` at ${path.join('.')}` : '';
      throw new SupError('BAD_REQUEST', `invalid "${parsed.type}" request${where}: ${message}`);
    }
    await assertAccepting(parsed.type, ctx);
    const handler = handlers[parsed.type] as (req: unknown, ctx: HandlerContext) => unknown;
    const result = await handler(checked.value, ctx);
    return { kind: 'reply', id: parsed.id, ok: true, result };
  } catch (err) {
    return { kind: 'reply', id: parsed.id, ok: false, error: toWireError(err) };
  }
}
