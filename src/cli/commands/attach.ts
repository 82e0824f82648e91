import { createInterface } from 'node:readline';
import { expandTargets } from '../targets.js';
import { print, withDaemon } from '../session.js';

/**
 * `sup attach <app>`, as `pm2 attach`: the app's output live, and every line typed goes to its stdin, until Ctrl-C or
 * the end of input.
 */
export async function run(args: { target: string }): Promise<void> {
  await withDaemon(async (client) => {
    const targets = await expandTargets([args.target]);
    const { processes } = await client.request('describe', { targets });
    const ids = new Set(processes.map((p) => p.id));
    await client.subscribe(['log'], (event) => {
      if (event.type === 'log' && ids.has(event.id)) (event.stream === 'err' ? process.stderr : process.stdout).write(event.data);
    });
    print(`attached to ${processes.map((p) => `${p.name}#${p.id}`).join(', ')}; lines typed go to its stdin (Ctrl-C to leave)`);
    const input = createInterface({ input: process.stdin });
    input.on('line', (line) => void client.request('send', { targets, line }).catch(() => undefined));
    await new Promise<void>((resolve) => {
      input.once('close', resolve);
      void client.closed.then(resolve);
    });
    input.close();
  });
}
