import { renderProcessTable } from '../render/process-table.js';
import { useColor } from '../render/style.js';
import { print, withDaemon } from '../session.js';

export async function run(args: { name: string; count: string }): Promise<void> {
  await withDaemon(async (client) => {
    const { from, to } = await client.request('scale', { name: args.name, count: String(args.count) });
    print(from === to ? `${args.name} already runs ${to} instance${to === 1 ? '' : 's'}; nothing to do` : `scaled ${args.name} from ${from} to ${to} instances`);
    print(renderProcessTable((await client.request('list', {})).processes, useColor()));
  });
}
