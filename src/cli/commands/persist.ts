import { labels, print, printProcessTable, warn, withDaemon } from '../session.js';

/** `sup save` (PM2's `dump` too): the current list becomes what `sup resurrect` and the boot unit bring back. */
export async function save(args: { force: boolean }): Promise<void> {
  await withDaemon(async (client) => {
    const saved = await client.request('save', { force: args.force });
    print(
      `saved ${saved.apps} app${saved.apps === 1 ? '' : 's'} (${saved.instances} instance${saved.instances === 1 ? '' : 's'}) to ${saved.file}`,
    );
  });
}

/** `sup resurrect`: the saved list comes back; stopped apps come back stopped, apps already running are left alone. */
export async function resurrect(): Promise<void> {
  await withDaemon(async (client) => {
    const result = await client.request('resurrect', {});
    if (result.warning) warn(result.warning);
    if (result.skipped.length > 0) warn(`already managed, left as they are: ${result.skipped.join(', ')}`);
    print(result.processes.length > 0 ? `resurrected ${labels(result.processes)}` : 'nothing to resurrect');
    await printProcessTable(client);
  });
}
