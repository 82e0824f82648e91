import { SupClient } from '../../client/client.js';
import { resolvePaths } from '../../paths.js';
import { formatDuration } from '../render/format.js';
import { print, withDaemon } from '../session.js';

/** With start false (a container's liveness probe), a daemon that does not answer is an error, never started. */
export async function run(args: { start: boolean } = { start: true }): Promise<void> {
  const ping = async (client: SupClient) => {
    const pong = await client.request('ping', {});
    print(`pong: daemon pid ${pong.pid}, sup ${pong.version}, up ${formatDuration(pong.uptime)}`);
  };
  if (args.start) return withDaemon(ping);
  const client = await SupClient.connect(resolvePaths().socket);
  try {
    await ping(client);
  } finally {
    client.close();
  }
}
