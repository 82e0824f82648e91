import { z } from 'zod';
import type { MetricsSample, ProcessInfo, SupEvent } from '../protocol/messages.js';
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

/** What a page may ask; anything else closes its connection. */
export const fromBrowserSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('action'), ref: z.number().int(), action: z.enum(ACTIONS), id: z.number().int().nonnegative() }),
  z.object({
    type: z.literal('scale'),
    ref: z.number().int(),
    name: z.string().min(1).max(200),
    count: z.string().regex(/^[+-]?\d{1,4}$|^max$/),
  }),
  z.object({ type: z.literal('history'), id: z.number().int().nonnegative() }),
  /** Which app's log lines to receive: a name, "all", or "none". */
  z.object({ type: z.literal('logs'), app: z.string().min(1).max(200) }),
]);
export type FromBrowser = z.infer<typeof fromBrowserSchema>;

/** Which requests need the operator role: every one that changes something. */
export function needsOperator(message: FromBrowser): boolean {
  return message.type === 'action' || message.type === 'scale';
}
