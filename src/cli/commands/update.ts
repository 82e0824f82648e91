import { SupClient } from '../../client/client.js';
import { connectOrSpawn } from '../../client/spawn-daemon.js';
import { SupError, isSupError } from '../../errors.js';
import { resolvePaths } from '../../paths.js';
import { print, printProcessTable } from '../session.js';

/**
 * `sup update`: replaces the running daemon with the sup installed now, keeping every app: the old daemon
 * writes its state as a handover and stops the apps, the new one starts them again with the same ids,
 * configs and counters. (Apps do restart: a new daemon cannot adopt processes whose pipes the old one held.)
 */
export async function run(): Promise<void> {
  const paths = resolvePaths();
  let old: SupClient;
  try {
    old = await SupClient.connect(paths.socket);
  } catch (err) {
    if (isSupError(err) && err.code === 'DAEMON_UNREACHABLE')
      return print('no sup daemon is running; the next command starts the installed version');
    throw err;
  }
  const before = old.daemon;
  const started = Date.now();
  const { stopped } = await old.request('kill', { handover: true }).catch((err: unknown) => {
    // A daemon from before `sup update` refuses the handover field and changes nothing.
    if (isSupError(err) && err.code === 'BAD_REQUEST') {
      throw new SupError(
        'VERSION_MISMATCH',
        `the running daemon (sup ${before.version}) cannot hand over its apps; use \`sup kill\`, then start them again`,
      );
    }
    throw err;
  });
  await old.closed;
  const { client } = await connectOrSpawn(paths);
  try {
    const { processes } = await client.request('list', {});
    print(
      `daemon ${before.pid} (sup ${before.version}) handed over to daemon ${client.daemon.pid} (sup ${client.daemon.version}) in ${Date.now() - started} ms; ` +
        `${stopped} instance(s) stopped, ${processes.filter((p) => p.status !== 'stopped' && p.status !== 'errored').length} running again`,
    );
    await printProcessTable(client);
  } finally {
    client.close();
  }
}
