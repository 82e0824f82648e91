import { print, withDaemon } from '../session.js';

export async function run(): Promise<void> {
  await withDaemon(async (client) => {
    const { files } = await client.request('reloadLogs', {});
    print(`reopening ${files} log file${files === 1 ? '' : 's'} on their next write`);
  });
}
