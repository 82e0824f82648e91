import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { ensureToken } from '../auth-token.js';
import type { AppConfig } from '../config/app-config.js';
import { SupError } from '../errors.js';
import { ensureHome } from '../home.js';
import { resolvePaths, supOwnFiles } from '../paths.js';
import { supVersion } from '../version.js';
import { PROTOCOL_VERSION } from '../protocol/messages.js';
import { bootId } from '../state/boot-id.js';
import { foregroundExitCode, startInForeground } from './foreground.js';
import { GuardianLink } from './recovery/guardian-link.js';
import { DAEMON_PID_VAR } from './recovery/leftovers.js';
import { Monitor } from './monitor/monitor.js';
import { Persistence } from './recovery/persistence.js';
import { ControlServer } from './control/server.js';
import { bindControlSocket } from './control/socket-lock.js';
import { Supervisor } from './apps/registry.js';

/** SUP_MONITOR_INTERVAL (ms) for the daemon's sampling pass: default 1000, at least 200. */
export function monitorInterval(env: NodeJS.ProcessEnv): number {
  const ms = Number(env.SUP_MONITOR_INTERVAL ?? 1000);
  return Number.isFinite(ms) ? Math.max(200, Math.round(ms)) : 1000;
}

/**
 * background: the usual daemon (started by the CLI through the guardian), its output the daemon log, its state on disk.
 * foreground (`sup run`, containers): starts the given apps, prints their output with prefixes, keeps no state,
 * and exits when they have all ended or on a signal, with a code that says whether they failed.
 */
export type DaemonMode = { kind: 'background' } | { kind: 'foreground'; apps: AppConfig[]; env: Record<string, string> };

/** The daemon process: the only place that decides how it exits. */
export async function runDaemon(mode: DaemonMode = { kind: 'background' }): Promise<void> {
  const foreground = mode.kind === 'foreground' ? mode : undefined;
  const log = (message: string) => {
    process.stdout.write(foreground ? `sup | ${message}\n` : `${new Date().toISOString()} ${message}\n`);
  };
  const paths = resolvePaths();
  ensureHome(paths.home);
  const token = ensureToken(paths.token);
  const startedAt = Date.now();
  let stopping: Promise<number> | undefined;

  const intervalMs = monitorInterval(process.env);
  const supervisor = new Supervisor({
    logsDir: paths.logsDir,
    log,
    monitorIntervalMs: intervalMs,
    supFiles: supOwnFiles(paths),
    supEnv: { SUP_HOME: paths.home, [DAEMON_PID_VAR]: String(process.pid) },
    onChange: () => persistence?.store.changed(),
  });
  // Created once the socket is ours: a daemon that loses the race must not touch the state of the one that won.
  let persistence: Persistence | undefined;
  const monitor = new Monitor(
    () => supervisor.running(),
    intervalMs,
    (samples) => supervisor.emit({ type: 'metrics', samples }),
  );
  const stopApps = (handover = false) => {
    stopping ??= (async () => {
      // The state says how this daemon ended before the apps stop, so that a handover keeps what ran.
      await persistence?.store.flush(handover ? 'handover' : 'stopped');
      return supervisor.stopAll();
    })();
    return stopping;
  };
  const persisted = () => {
    if (!persistence)
      throw new SupError(
        foreground ? 'REFUSED' : 'SHUTTING_DOWN',
        foreground ? '`sup run` keeps no saved list' : 'the daemon is still starting',
      );
    return persistence;
  };
  let exiting = false;
  let guardian: GuardianLink | undefined;
  const exit = async (code: number) => {
    if (exiting) return;
    exiting = true;
    await guardian?.farewell();
    monitor.stop();
    await server.close();
    // The socket file went with the listener; the pid file goes only if it is still ours.
    if (readQuietly(paths.pidFile) === String(process.pid)) rmSync(paths.pidFile, { force: true });
    log(`daemon ${process.pid} exited${foreground ? ` with code ${code}` : ''}`);
    process.exit(code);
  };
  const stopAndExit = async () => {
    const n = await stopApps();
    log(`stopped ${n} instance(s)`);
    await exit(foreground ? foregroundExitCode(supervisor.list()) : 0);
  };
  const server = new ControlServer(
    supervisor,
    {
      supervisor,
      daemon: {
        get state() {
          return supervisor.state;
        },
        startedAt,
        stopApps,
        save: (force) => persisted().save(force),
        resurrect: () => persisted().resurrect(),
        exitSoon: () => setImmediate(() => void exit(foreground ? foregroundExitCode(supervisor.list()) : 0)),
      },
    },
    () => ({ kind: 'hello', version: supVersion(), protocol: PROTOCOL_VERSION, pid: process.pid }),
    token,
  );

  const bound = await bindControlSocket(server.http, paths.socket, paths.bindLock, log);
  if (bound.kind === 'taken') {
    if (foreground) throw new SupError('REFUSED', `a sup daemon already runs for ${paths.home}; \`sup run\` needs a SUP_HOME of its own`);
    log(`another daemon already answers on ${paths.socket}; exiting`);
    return;
  }
  writeFileSync(paths.pidFile, String(process.pid), { mode: 0o600 });
  monitor.start();
  log(`daemon ${process.pid} (sup ${supVersion()}, node ${process.version}) listening on ${paths.socket}`);

  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) return log(`received ${signal}; already stopping every app`);
    log(`received ${signal}; stopping every app`);
    void stopAndExit();
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  process.on('SIGHUP', () => log('received SIGHUP; ignored'));
  // A supervisor that dies takes every app with it; a bug is logged and the daemon carries on.
  process.on('uncaughtException', (err) => log(`uncaught exception: ${err.stack ?? err.message}`));
  process.on('unhandledRejection', (err) => log(`unhandled rejection: ${err instanceof Error ? err.stack : String(err)}`));

  if (foreground) {
    const started = await startInForeground(supervisor, foreground, () => stopping === undefined && void stopAndExit());
    if (!started.ok) {
      log(started.error);
      await exit(2);
    }
    return;
  }
  // Under systemd (SUP_GUARDIAN=off in the unit), systemd itself restarts a daemon that died.
  if (process.env.SUP_GUARDIAN !== 'off') guardian = new GuardianLink(log);
  persistence = new Persistence(paths, supervisor, bootId(), log);
  await persistence
    .recover(process.env.SUP_RESURRECT === '1')
    .catch((err: Error) => log(`could not restore the previous state: ${err.stack ?? err.message}`));
}

function readQuietly(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return undefined;
  }
}
