import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { ensureToken } from '../auth-token.js';
import { ensureHome } from '../home.js';
import { resolvePaths, supOwnFiles } from '../paths.js';
import { supVersion } from '../version.js';
import { PROTOCOL_VERSION } from '../protocol/messages.js';
import { Monitor } from './monitor.js';
import { ControlServer } from './server.js';
import { bindControlSocket } from './socket-lock.js';
import { Supervisor } from './supervisor.js';

/** SUP_MONITOR_INTERVAL (ms) for the daemon's sampling pass: default 1000, at least 200. */
export function monitorInterval(env: NodeJS.ProcessEnv): number {
  const ms = Number(env.SUP_MONITOR_INTERVAL ?? 1000);
  return Number.isFinite(ms) ? Math.max(200, Math.round(ms)) : 1000;
}

function log(message: string): void {
  process.stdout.write(`${new Date().toISOString()} ${message}\n`);
}

/** The daemon process: the only place that decides how it exits. Its stdout and stderr are SUP_HOME/daemon.log. */
export async function runDaemon(): Promise<void> {
  const paths = resolvePaths();
  ensureHome(paths.home);
  const token = ensureToken(paths.token);
  const startedAt = Date.now();
  let stopping: Promise<number> | undefined;

  const intervalMs = monitorInterval(process.env);
  const supervisor = new Supervisor(paths.logsDir, log, intervalMs, supOwnFiles(paths));
  const monitor = new Monitor(() => supervisor.running(), intervalMs, (samples) => supervisor.emit({ type: 'metrics', samples }));
  const stopApps = () => {
    stopping ??= supervisor.stopAll();
    return stopping;
  };
  const exit = async (code: number) => {
    monitor.stop();
    await server.close();
    // The socket file went with the listener; the pid file goes only if it is still ours.
    if (readQuietly(paths.pidFile) === String(process.pid)) rmSync(paths.pidFile, { force: true });
    log(`daemon ${process.pid} exited`);
    process.exit(code);
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
        exitSoon: () => setImmediate(() => void exit(0)),
      },
    },
    () => ({ kind: 'hello', version: supVersion(), protocol: PROTOCOL_VERSION, pid: process.pid }),
    token,
  );

  const bound = await bindControlSocket(server.http, paths.socket, paths.bindLock, log);
  if (bound.kind === 'taken') {
    log(`another daemon already answers on ${paths.socket}; exiting`);
    return;
  }
  writeFileSync(paths.pidFile, String(process.pid), { mode: 0o600 });
  monitor.start();
  log(`daemon ${process.pid} (sup ${supVersion()}, node ${process.version}) listening on ${paths.socket}`);

  const onSignal = (signal: NodeJS.Signals) => {
    log(`received ${signal}; stopping every app`);
    void stopApps().then((n) => {
      log(`stopped ${n} instance(s)`);
      return exit(0);
    });
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  process.on('SIGHUP', () => log('received SIGHUP; ignored'));
  // A supervisor that dies takes every app with it; a bug is logged and the daemon carries on.
  process.on('uncaughtException', (err) => log(`uncaught exception: ${err.stack ?? err.message}`));
  process.on('unhandledRejection', (err) => log(`unhandled rejection: ${err instanceof Error ? err.stack : String(err)}`));
}

function readQuietly(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return undefined;
  }
}
