import { SupClient } from '../../client/client.js';
import { isSupError } from '../../errors.js';
import { resolvePaths } from '../../paths.js';
import { print } from '../session.js';

/** Stops every app and the daemon. Not starting a daemon just to kill it. */
export async function run(): Promise<void> {
  let client: SupClient;
  try {
    client = await SupClient.connect(resolvePaths().socket);
  } catch (err) {
    if (isSupError(err) && err.code === 'DAEMON_UNREACHABLE') return print('no sup daemon is running');
    throw err;
  }
  const { stopped } = await client.request('kill', {});
  // The daemon closes the connection as it exits; once closed, the next command starts a fresh one.
  await client.closed;
  print(`stopped ${stopped} instance${stopped === 1 ? '' : 's'} and the daemon (pid ${client.daemon.pid})`);
}
