import { arch, cpus, freemem, loadavg, platform, release, totalmem, uptime } from 'node:os';
import { resolvePaths } from '../../paths.js';
import { supVersion } from '../../version.js';
import { tailLines } from './logs.js';
import { print, withDaemon } from '../session.js';

/** `sup report`, as `pm2 report`: what a bug report needs, in one paste (versions, machine, daemon, apps, daemon.log). */
export async function run(): Promise<void> {
  const paths = resolvePaths();
  await withDaemon(async (client) => {
    const ping = await client.request('ping', {});
    const { processes } = await client.request('list', {});
    print('===== sup report =====');
    print(
      `sup ${supVersion()} (daemon ${ping.version}, pid ${ping.pid}, up ${Math.round(ping.uptime / 1000)} s; keeper ${ping.keeper ? `pid ${ping.keeper.pid}, protocol ${ping.keeper.protocol}` : 'none'})`,
    );
    print(
      `node ${process.version}, ${platform()} ${release()} ${arch()}, ${cpus().length} CPUs, load ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
    print(`memory ${mb(freemem())} free of ${mb(totalmem())}, machine up ${Math.round(uptime() / 3600)} h`);
    print(`SUP_HOME ${paths.home}`);
    print('===== processes =====');
    for (const p of processes) {
      print(
        `${p.id} ${p.name} ${p.mode} pid=${p.pid ?? 0} ${p.status} restarts=${p.restarts} memory=${p.memory === null ? '-' : mb(p.memory)}${p.status_reason ? ` (${p.status_reason})` : ''}`,
      );
    }
    print('===== daemon.log (last 30 lines) =====');
    for (const line of await tailLines(paths.daemonLog, 30)) print(line);
  });
}

function mb(bytes: number): string {
  return `${Math.round(bytes / 1048576)} MB`;
}
