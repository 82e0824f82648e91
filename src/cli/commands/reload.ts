import { renderProcessTable } from '../render/process-table.js';
import { useColor } from '../render/style.js';
import { expandTargets } from '../targets.js';
import { print, withDaemon } from '../session.js';

/** Rolling reload with a line per replaced instance as it happens. */
export async function run(args: { targets: string[]; parallel: number }): Promise<void> {
  const targets = expandTargets(args.targets);
  await withDaemon(async (client) => {
    await client.subscribe(['process'], (event) => {
      if (event.type === 'progress') print(event.text);
    });
    const { processes, restarted } = await client.request('reload', { targets, parallel: args.parallel });
    for (const name of restarted) print(`${name} runs in fork mode: reload fell back to restart`);
    print(`reloaded ${processes.map((p) => `${p.name}#${p.id}`).join(', ')}`);
    print(renderProcessTable((await client.request('list', {})).processes, useColor()));
  });
}
