import { renderProcessTable } from '../render/process-table.js';
import { useColor } from '../render/style.js';
import { print, withDaemon } from '../session.js';

export async function run(args: { json: boolean }): Promise<void> {
  await withDaemon(async (client) => {
    const { processes } = await client.request('list', {});
    print(args.json ? JSON.stringify(processes) : renderProcessTable(processes, useColor()));
  });
}
