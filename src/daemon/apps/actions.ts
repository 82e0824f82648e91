import { SupError } from '../../errors.js';
import type { ActionReply, Selector, SupEvent } from '../../protocol/messages.js';
import type { AppsContext } from './context.js';

/** How long `sup trigger` waits for the apps' replies. */
const REPLY_WAIT_MS = 10_000;

/** What @pm2/io (and sup's runtime) sends back from an action: `{ type: 'axm:reply', data: { return, action_name } }`. */
function replyOf(data: unknown, action: string): { value: unknown } | undefined {
  const message = data as { type?: unknown; data?: { return?: unknown; action_name?: unknown } } | null;
  if (message?.type !== 'axm:reply' || message.data?.action_name !== action) return undefined;
  return { value: message.data.return };
}

/**
 * `sup trigger <app> <action> [params]`: the message @pm2/io's actions listen for (`{ msg, opts }`) to every running
 * instance selected, then their replies, or answered: false for those silent after REPLY_WAIT_MS.
 */
export async function triggerAction(ctx: AppsContext, targets: Selector[], action: string, params: unknown): Promise<ActionReply[]> {
  const picked = ctx.registry.select(targets);
  const replies = new Map<number, ActionReply>();
  let done: () => void = () => undefined;
  const all = new Promise<void>((resolve) => {
    done = resolve;
  });
  const listening = new Set<number>();
  const unsubscribe = ctx.services.events.subscribe((event: SupEvent) => {
    if (event.type !== 'message' || !listening.has(event.id)) return;
    const reply = replyOf(event.data, action);
    if (!reply) return;
    replies.set(event.id, { id: event.id, name: event.name, answered: true, data: reply.value });
    if ([...listening].every((id) => replies.has(id))) done();
  }, false);
  try {
    const message = params === undefined ? { msg: action } : { msg: action, opts: params };
    for (const p of picked) if (p.instance.send(message)) listening.add(p.id);
    if (listening.size === 0) {
      throw new SupError(
        'NOT_FOUND',
        `no running Node process matches ${targets.join(', ')}; actions need an IPC channel (interpreter node)`,
      );
    }
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([all, new Promise<void>((resolve) => (timer = setTimeout(resolve, REPLY_WAIT_MS)))]);
    clearTimeout(timer);
  } finally {
    unsubscribe();
  }
  return picked.filter((p) => listening.has(p.id)).map((p) => replies.get(p.id) ?? { id: p.id, name: p.name, answered: false, data: null });
}
