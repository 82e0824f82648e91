import type { AppEvent, SupEvent } from '../../protocol/messages.js';
import { eventFilter } from '../event-names.js';
import { paint, useColor } from '../render/style.js';
import { print, withDaemon } from '../session.js';

export interface EventsArgs {
  events: string[];
  app: string | undefined;
  json: boolean;
}

/** Streams app events as they happen (the JSON hooks get, one object per line with --json) until interrupted. */
export async function run(args: EventsArgs): Promise<void> {
  const wanted = eventFilter(args.events);
  const color = useColor() && !args.json;
  await withDaemon(async (client) => {
    await client.subscribe(['events'], (frame: SupEvent) => {
      if (frame.type !== 'app-event') return;
      const event = frame.event;
      if (!wanted.has(event.event) || (args.app !== undefined && event.app !== args.app)) return;
      print(args.json ? JSON.stringify(event) : line(event, color));
    });
    // On stderr, so that stdout stays pure JSON with --json; scripts (and tests) know from it that nothing is missed.
    process.stderr.write('sup: following events (Ctrl-C to stop)\n');
    await client.closed;
  });
}

function line(e: AppEvent, color: boolean): string {
  const code = e.exit_code !== null ? ` code ${e.exit_code}` : e.signal ? ` ${e.signal}` : '';
  const what = paint(e.event, e.event === 'crash' || e.event === 'errored' ? 'red' : 'cyan', color);
  return `${paint(new Date(e.at).toISOString(), 'gray', color)} ${e.app}#${e.id} ${what}${code}${e.reason ? ` ${e.reason}` : ''}`;
}
