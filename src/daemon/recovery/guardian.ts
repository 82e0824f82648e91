import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawnDaemon } from '../../client/daemon-process.js';
import { resolvePaths } from '../../paths.js';
import { SUP_ENV } from '../../env.js';
import { RESPAWN_WINDOW_MS, decideRespawn, parseRespawns } from './respawn-policy.js';

function log(message: string): void {
  process.stdout.write(`${new Date().toISOString()} guardian ${process.pid}: ${message}\n`);
}

/** What the daemon tells its guardian before it exits on purpose. */
export const FAREWELL = 'sup-daemon-stopping';

/**
 * The guardian: a small process the daemon starts once it owns its socket, watching it through their IPC
 * channel. When the channel closes without a farewell (kill -9, a crash, the OOM killer), it starts a new daemon,
 * which finds the live state file and brings every app back, and starts a guardian of its own; this one exits.
 * A daemon that stops on request says farewell first, and its guardian simply exits.
 */
export function runGuardian(): void {
  const paths = resolvePaths();
  const daemonPid = process.ppid;
  writeFileSync(paths.guardianPidFile, String(process.pid), { mode: 0o600 });
  let farewell = false;

  const exit = () => {
    try {
      if (readFileSync(paths.guardianPidFile, 'utf8').trim() === String(process.pid)) rmSync(paths.guardianPidFile, { force: true });
    } catch {
      // already gone
    }
    process.exit(0);
  };

  process.on('message', (message: { type?: string }) => {
    if (message?.type === FAREWELL) farewell = true;
  });
  process.on('disconnect', () => {
    if (farewell) return exit();
    const recent = parseRespawns(process.env[SUP_ENV.respawns]);
    const decision = decideRespawn(recent, Date.now());
    if (decision.action === 'give-up') {
      log(`daemon ${daemonPid} died; ${decision.reason}`);
      return exit();
    }
    log(`daemon ${daemonPid} died; starting a new one${decision.delayMs ? ` in ${decision.delayMs} ms` : ''}`);
    setTimeout(() => {
      const now = Date.now();
      spawnDaemon(paths, { [SUP_ENV.respawns]: [...recent.filter((t) => now - t < RESPAWN_WINDOW_MS), now].join(',') });
      exit();
    }, decision.delayMs);
  });
  // Its daemon decides when it goes: signals meant for a process group (a terminal's Ctrl-C) do not end it.
  process.on('SIGINT', () => undefined);
  process.on('SIGHUP', () => undefined);
  process.on('SIGTERM', exit);
}
