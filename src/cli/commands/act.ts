import type { RequestType } from '../../protocol/messages.js';
import { expandTargets } from '../targets.js';
import { labels, print, printProcessTable, withDaemon } from '../session.js';

type Action = Extract<RequestType, 'stop' | 'delete' | 'reset'>;

const PAST: Record<Action, string> = { stop: 'stopped', delete: 'deleted', reset: 'reset' };

/** stop, delete and reset: the same shape, one request each. */
export async function run(action: Action, args: { targets: string[]; only?: string | undefined }): Promise<void> {
  const targets = await expandTargets(args.targets, action, args.only?.split(',').filter(Boolean));
  await withDaemon(async (client) => {
    const { processes } = await client.request(action, { targets });
    print(`${PAST[action]} ${labels(processes)}`);
    await printProcessTable(client);
  });
}
