import { constants } from 'node:os';
import { SupError } from '../../errors.js';
import { expandTargets } from '../targets.js';
import { print, withDaemon } from '../session.js';

export async function run(args: { signal: string; targets: string[] }): Promise<void> {
  const upper = args.signal.toUpperCase();
  const signal = upper.startsWith('SIG') ? upper : `SIG${upper}`;
  if (!(signal in constants.signals)) throw new SupError('USAGE', `unknown signal "${args.signal}"; try SIGUSR2, SIGHUP, …`);
  await withDaemon(async (client) => {
    const { processes } = await client.request('signal', { targets: await expandTargets(args.targets, 'signal'), signal });
    print(`sent ${signal} to ${processes.map((p) => `${p.name}#${p.id} (pid ${p.pid})`).join(', ')}`);
  });
}
