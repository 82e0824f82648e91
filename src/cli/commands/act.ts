import type { RequestType } from '../../protocol/messages.js';
import { renderProcessTable } from '../render/process-table.js';
import { useColor } from '../render/style.js';
import { expandTargets } from '../targets.js';
import { print, withDaemon } from '../session.js';

type Action = Extract<RequestType, 'stop' | 'restart' | 'delete' | 'reset'>;

const PAST: Record<Action, string> = { stop: 'stopped', restart: 'restarted', delete: 'deleted', reset: 'reset' };

/** stop, restart, delete and reset: the same shape, one request each. */
export async function run(action: Action, args: { targets: string[] }): Promise<void> {
  const targets = expandTargets(args.targets);
  await withDaemon(async (client) => {
    const { processes } = await client.request(action, { targets });
    print(`${PAST[action]} ${processes.map((p) => `${p.name}#${p.id}`).join(', ')}`);
    print(renderProcessTable((await client.request('list', {})).processes, useColor()));
  });
}
