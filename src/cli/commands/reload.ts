import { expandTargets } from '../targets.js';
import { labels, print, printProcessTable, withDaemon } from '../session.js';

/** Rolling reload with a line per replaced instance as it happens. */
export async function run(args: { targets: string[]; parallel: number }): Promise<void> {
  const targets = expandTargets(args.targets);
  await withDaemon(async (client) => {
    await client.subscribe(['process'], (event) => {
      if (event.type === 'progress') print(event.text);
    });
    const { processes, restarted } = await client.request('reload', { targets, parallel: args.parallel });
    for (const name of restarted) print(`${name} runs in fork mode: reload fell back to restart`);
    print(`reloaded ${labels(processes)}`);
    await printProcessTable(client);
  });
}
