import { SupClient } from '../../client/client.js';
import { connectOrSpawn } from '../../client/spawn-daemon.js';
import { isSupError, SupError } from '../../errors.js';
import { resolvePaths } from '../../paths.js';
import { KEEPER_PROTOCOL } from '../../protocol/keeper.js';
import { print, printProcessTable, warn } from '../session.js';

/**
 * `sup update`: replaces the running daemon with the sup installed now, keeping every app. When the new daemon speaks
 * the keeper's protocol, the apps run on untouched (same pids) and it takes them over; otherwise the old daemon
 * stops them and the new one starts them again with the same ids, configs and counters, and this says so.
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
  const keeper = (await old.request('ping', {})).keeper;
  const keep = keeper?.protocol === KEEPER_PROTOCOL;
  if (!keep) {
    const speaks = keeper ? `keeper protocol ${keeper.protocol}` : 'no keeper';
    warn(
      `the running sup (${before.version}, ${speaks}) cannot hand its apps over as they run to this one (keeper protocol ${KEEPER_PROTOCOL}): they restart`,
    );
  }
  const { stopped } = await old.request('kill', keep ? { handover: true, keepApps: true } : { handover: true }).catch((err: unknown) => {
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
    const running = processes.filter((p) => p.status !== 'stopped' && p.status !== 'errored').length;
    const how = keep ? `${running} instance(s) kept running` : `${stopped} instance(s) stopped, ${running} running again`;
    print(
      `daemon ${before.pid} (sup ${before.version}) handed over to daemon ${client.daemon.pid} (sup ${client.daemon.version}) in ${Date.now() - started} ms; ${how}`,
    );
    await printProcessTable(client);
  } finally {
    client.close();
  }
}
