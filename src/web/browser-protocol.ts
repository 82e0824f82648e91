import type { MetricsSample, ProcessInfo, SupEvent } from '../protocol/messages.js';
import { type Infer, integer, literal, oneOf, string } from '../protocol/shape.js';
import { discriminatedUnion, object } from '../protocol/shape-compound.js';
import type { Role } from './access.js';

/** What the web server pushes to a page over its WebSocket. */
export type ToBrowser =
  | { type: 'hello'; role: Role; version: string }
  | { type: 'snapshot'; processes: ProcessInfo[] }
  | { type: 'daemon'; connected: boolean; reason: string | null }
  | { type: 'history'; id: number; interval_ms: number; samples: MetricsSample[] }
  | { type: 'result'; ref: number; ok: boolean; text: string }
  | { type: 'tail'; app: string; lines: { id: number; name: string; stream: 'out' | 'err'; line: string }[] }
  | Extract<SupEvent, { type: 'process' | 'removed' | 'metrics' | 'log' | 'log-skipped' }>;

const ACTIONS = ['restart', 'reload', 'stop', 'start', 'delete'] as const;
export type ProcessAction = (typeof ACTIONS)[number];

// Keys a page adds besides these are left out, not refused.
const loose = { unknownKeys: 'strip' } as const;

/** What a page may ask; anything else closes its connection. */
export const fromBrowserSchema = discriminatedUnion('type', [
  object({ type: literal('action'), ref: integer(), action: oneOf(ACTIONS), id: integer({ min: 0 }) }, loose),
  object(
    {
      type: literal('scale'),
      ref: integer(),
      name: string({ min: 1, max: 200 }),
      count: string({ pattern: /^[+-]?\d{1,4}$|^max$/, expected: '"max" or a count of up to 4 digits, with + or - to add or remove' }),
    },
    loose,
  ),
  object({ type: literal('history'), id: integer({ min: 0 }) }, loose),
  /** Which app's log lines to receive: a name, "all", or "none". */
  object({ type: literal('logs'), app: string({ min: 1, max: 200 }) }, loose),
]);
export type FromBrowser = Infer<typeof fromBrowserSchema>;

/** Which requests need the operator role: every one that changes something. */
export function needsOperator(message: FromBrowser): boolean {
  return message.type === 'action' || message.type === 'scale';
}
