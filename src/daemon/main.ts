import { existsSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { ensureToken } from '../auth-token-guard.js';
import type { AppConfig } from '../config/app-config.js';
import { monitorInterval, SUP_ENV } from '../env.js';
import { SupError } from '../errors.js';
import { ensureHome } from '../home.js';
import { resolvePaths, type SupPaths, supOwnFiles } from '../paths.js';
import { WriteBarrier } from '../logs/write-barrier.js';
import { PROTOCOL_VERSION } from '../protocol/messages.js';
import { bootId } from '../state/boot-id.js';
import { supVersion } from '../version.js';
import type { AppsContext } from './apps/context.js';
import { listProcesses, runningInstances } from './apps/queries.js';
import { Registry } from './apps/registry.js';
import { restartOnTrigger } from './apps/restart.js';
import { RollingReloads } from './apps/rolling-reload.js';
import { stopAll } from './apps/stop.js';
import { ControlServer } from './control/server.js';
import { bindControlSocket } from '../socket-lock.js';
import { EventBus } from './events.js';
import { foregroundExitCode, startInForeground } from './foreground.js';
import { DaemonLifecycle } from './lifecycle.js';
import { Monitor } from './monitor/monitor.js';
import { Keeper } from './launch/keeper.js';
import { endLeftoversByApp, findLeftovers } from './recovery/leftovers.js';
import { Persistence } from './recovery/persistence.js';
import { WatcherHost } from './triggers/watcher-host.js';
import { Hooks } from './triggers/hooks/hooks.js';

/**
 * background: the usual daemon (started by the CLI or the keeper), its output the daemon log, its state on disk; its
 * keeper outlives it, with the apps.
 * foreground (`sup run`, containers): starts the given apps, prints their output with prefixes, keeps no state,
 * and exits when they have all ended or on a signal, with a code that says whether they failed.
 */
export type DaemonMode = { kind: 'background' } | { kind: 'foreground'; apps: AppConfig[]; env: Record<string, string> };

const HOOKS_AT_EXIT_MS = 3000;
// How long a new daemon waits for a request that needs its keeper before it starts one anyway.
const KEEPER_UNNEEDED_MS = 200;

/** The daemon process: wiring only. The lifecycle decides how it stops and exits; nothing else ends the process. */
export async function runDaemon(mode: DaemonMode = { kind: 'background' }): Promise<void> {
  const foreground = mode.kind === 'foreground' ? mode : undefined;
  const log = foreground
    ? (message: string) => void process.stdout.write(`sup | ${message}\n`)
    : (message: string) => logLine(`${new Date().toISOString()} ${message}\n`);
  const paths = resolvePaths();
  ensureHome(paths.home);
  const token = ensureToken(paths.token);
  const startedAt = Date.now();
  const intervalMs = monitorInterval(process.env);

  const writes = new WriteBarrier();
  const keeper = new Keeper(paths, foreground !== undefined, {
    log,
    written: () => writes.settled(),
    // A keeper that died took (or orphaned) its apps: what is left of them goes before they start again.
    replaced: async () => {
      const leftovers = findLeftovers(paths.home, await keeper.pid());
      await Promise.all(endLeftoversByApp(leftovers, (app) => apps.registry.get(app)?.config).values());
    },
  });
  const apps = buildApps(paths, log, intervalMs, { keeper, writes }, () => lifecycle.accepting);
  const monitor = new Monitor(
    () => runningInstances(apps),
    intervalMs,
    (samples) => apps.services.events.emit({ type: 'metrics', samples }),
  );
  // Created once the socket is ours: a daemon that loses the race must not touch the state of the one that won.
  let persistence: Persistence | undefined;
  const lifecycle: DaemonLifecycle = new DaemonLifecycle({
    log,
    stopApps: async (handover) => {
      // The state says how this daemon ended before anything stops, so that a handover keeps what ran.
      await persistence?.store.flush(handover ? 'handover' : 'stopped');
      // `sup update`: the apps stay with the keeper, and the next daemon takes them over as they run.
      if (handover === 'keep') return keeper.farewell(true).then(() => 0);
      const stopped = await stopAll(apps);
      await keeper.shutdown();
      return stopped;
    },
    exitCode: () => (foreground ? foregroundExitCode(listProcesses(apps)) : 0),
    exit: async (code) => {
      monitor.stop();
      // Hooks of the shutdown itself (stop, exit) get a moment to run.
      await apps.services.hooks.settle(HOOKS_AT_EXIT_MS);
      await server.close();
      // The socket file went with the listener; the pid file goes only if it is still ours.
      if (readQuietly(paths.pidFile) === String(process.pid)) rmSync(paths.pidFile, { force: true });
      log(`daemon ${process.pid} exited${foreground ? ` with code ${code}` : ''}`);
      process.exit(code);
    },
  });
  const persisted = () => {
    if (persistence) return persistence;
    throw new SupError(
      foreground ? 'REFUSED' : 'SHUTTING_DOWN',
      foreground ? '`sup run` keeps no saved list' : 'the daemon is still starting',
    );
  };
  const server = new ControlServer(
    apps.services.events,
    {
      apps,
      daemon: {
        get phase() {
          return lifecycle.phase;
        },
        started: lifecycle.started,
        need: () => lifecycle.need(),
        startedAt,
        get keeper() {
          return keeper.known;
        },
        stopApps: (handover) => lifecycle.stopApps(handover),
        save: (force) => persisted().save(force),
        resurrect: () => persisted().resurrect(),
        exitSoon: () => lifecycle.exitSoon(),
      },
    },
    () => ({ kind: 'hello', version: supVersion(), protocol: PROTOCOL_VERSION, pid: process.pid }),
    token,
  );

  const bound = await bindControlSocket(server.listener, paths.socket, paths.bindLock, log);
  if (bound.kind === 'taken') {
    if (foreground) throw new SupError('REFUSED', `a sup daemon already runs for ${paths.home}; \`sup run\` needs a SUP_HOME of its own`);
    return log(`another daemon already answers on ${paths.socket}; exiting`);
  }
  writeFileSync(paths.pidFile, String(process.pid), { mode: 0o600 });
  monitor.start();
  log(`daemon ${process.pid} (sup ${supVersion()}, node ${process.version}) listening on ${paths.socket}`);
  handleSignals(lifecycle, log);
  // No keeper yet (a first command's daemon): it starts when a request needs it, or after a moment. Booting while this
  // daemon answered a first `ping`, it delayed the answer by ~40 ms on 2 cores. A keeper that exists holds apps: at once.
  if (!foreground && !existsSync(paths.keeperSocket)) {
    const soon = setTimeout(() => lifecycle.need(), KEEPER_UNNEEDED_MS);
    await lifecycle.needed;
    clearTimeout(soon);
    // Told to stop first (`sup kill` after a first ping): there is no keeper to start, nor one to stop.
    if (!lifecycle.accepting) return;
  }
  const kept = await keeper.start().catch((err: Error) => {
    log(`no keeper: ${err.message}`);
    return undefined;
  });
  if (!kept) return void lifecycle.exit(1);

  if (foreground) {
    lifecycle.running();
    const started = await startInForeground(apps, foreground, () => void lifecycle.stopAndExit('every app has ended'));
    if (!started.ok) {
      log(started.error);
      await lifecycle.exit(2);
    }
    return;
  }
  persistence = new Persistence(paths, apps, bootId(), log);
  apps.services.events.onChange(() => persistence?.store.changed());
  await persistence
    .recover(process.env[SUP_ENV.resurrect] === '1', kept)
    .catch((err: Error) => log(`could not restore the previous state: ${err.stack ?? err.message}`));
  await keeper.adopted();
  lifecycle.running();
}

/** The registry, the reload locks and what every app shares. */
function buildApps(
  paths: SupPaths,
  log: (message: string) => void,
  intervalMs: number,
  { keeper, writes }: { keeper: Keeper; writes: WriteBarrier },
  accepting: () => boolean,
): AppsContext {
  const apps: AppsContext = {
    registry: new Registry(),
    reloads: new RollingReloads((event) => events.emit(event)),
    accepting,
    services: {
      events: new EventBus(),
      log,
      logsDir: paths.logsDir,
      monitorIntervalMs: intervalMs,
      watcher: new WatcherHost(log),
      supFiles: supOwnFiles(paths),
      supEnv: { [SUP_ENV.home]: paths.home },
      keeper,
      writes,
      home: paths.home,
      triggered: (app, reason) => restartOnTrigger(apps, app, reason),
      hooks: new Hooks(paths.home, (name) => apps.registry.get(name)?.config, log),
    },
  };
  const events = apps.services.events;
  events.subscribe((event) => event.type === 'app-event' && apps.services.hooks.handle(event.event), false);
  return apps;
}

function handleSignals(lifecycle: DaemonLifecycle, log: (message: string) => void): void {
  process.on('SIGTERM', () => void lifecycle.stopAndExit('received SIGTERM'));
  process.on('SIGINT', () => void lifecycle.stopAndExit('received SIGINT'));
  process.on('SIGHUP', () => log('received SIGHUP; ignored'));
  // A supervisor that dies takes every app with it; a bug is logged and the daemon carries on.
  process.on('uncaughtException', (err) => log(`uncaught exception: ${err.stack ?? err.message}`));
  process.on('unhandledRejection', (err) => log(`unhandled rejection: ${err instanceof Error ? err.stack : String(err)}`));
}

/**
 * A line of daemon.log, the background daemon's stdout. Written with fs.writeSync, which is what process.stdout does
 * for a file anyway: creating that stream cost 3–5 ms between binding the socket and answering the first command.
 * Anything else (a pipe that would block) goes through the stream.
 */
function logLine(line: string): void {
  try {
    writeSync(1, line);
  } catch {
    process.stdout.write(line);
  }
}

function readQuietly(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return undefined;
  }
}
