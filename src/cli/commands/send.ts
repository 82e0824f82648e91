import { SupError } from '../../errors.js';
import { expandTargets } from '../targets.js';
import { labels, print, withDaemon } from '../session.js';

/** Delivers a JSON message that the app receives with process.on('message'). */
export async function run(args: { target: string; message: string }): Promise<void> {
  let message: unknown;
  try {
    message = JSON.parse(args.message);
  } catch {
    throw new SupError('USAGE', `the message must be JSON (quote strings: '"hello"'), got ${args.message}`);
  }
  await withDaemon(async (client) => {
    const { processes } = await client.request('send', { targets: await expandTargets([args.target]), message });
    print(`sent to ${labels(processes)}`);
  });
}
