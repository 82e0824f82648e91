import { print, printProcessTable, withDaemon } from '../session.js';

export async function run(args: { name: string; count: string }): Promise<void> {
  await withDaemon(async (client) => {
    const { from, to } = await client.request('scale', { name: args.name, count: String(args.count) });
    print(
      from === to
        ? `${args.name} already runs ${to} instance${to === 1 ? '' : 's'}; nothing to do`
        : `scaled ${args.name} from ${from} to ${to} instances`,
    );
    await printProcessTable(client);
  });
}
