import { expandTargets } from '../targets.js';
import { print, withDaemon } from '../session.js';

export async function run(args: { targets: string[] }): Promise<void> {
  await withDaemon(async (client) => {
    const { files } = await client.request('flush', { targets: await expandTargets(args.targets, 'flush') });
    print(
      files.length ? `emptied ${files.length} log file${files.length === 1 ? '' : 's'}:\n${files.join('\n')}` : 'no log files to empty',
    );
  });
}
