import { formatDuration } from '../render/format.js';
import { print, withDaemon } from '../session.js';

export async function run(): Promise<void> {
  await withDaemon(async (client) => {
    const pong = await client.request('ping', {});
    print(`pong: daemon pid ${pong.pid}, sup ${pong.version}, up ${formatDuration(pong.uptime)}`);
  });
}
