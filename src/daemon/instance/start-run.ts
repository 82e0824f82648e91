import type { AppConfig } from '../../config/app-config.js';
import type { ChildTag, KeptChild } from '../../protocol/keeper.js';
import type { ExitInfo, HandleEvents, Launcher } from '../launch/launcher.js';
import { HealthChecker } from '../monitor/health/health-checker.js';
import { probeTarget } from '../monitor/health/probes.js';
import { usesProbePort } from '../launch/instance-env.js';
import { isWorkerControl, type WatchdogReport, WORKER_TAG } from '../../protocol/worker.js';
import { describeExit } from './restart-policy.js';
import { Run } from './run.js';

/** What an instance hears from one of its runs. */
export interface RunListener {
  /** The sign the app gives when it is up: spawned (fork), listening (cluster), or ready (wait_ready). */
  ready(run: Run): void;
  /** listen_timeout passed without that sign. */
  timedOut(run: Run, missing: string): void;
  exited(run: Run, exit: ExitInfo): void;
  output(stream: 'out' | 'err', chunk: Buffer): Promise<void> | undefined;
  message(data: unknown): void;
  /** Its health check turned healthy or unhealthy; `reason` says why. */
  health(run: Run, became: 'healthy' | 'unhealthy', reason: string): void;
  /** sup's runtime in the app saw its event loop blocked past `watchdog` (it wrote the stack to stderr). */
  hung(run: Run, report: WatchdogReport): void;
}

/** What an app is waiting for before an instance counts as online, in the words a status reason uses. */
export function onlineSign(config: AppConfig): { event: 'spawned' | 'listening' | 'ready' | 'healthy'; missing: string } {
  if (config.health_check) return { event: 'healthy', missing: 'passing health check' };
  if (config.wait_ready) return { event: 'ready', missing: "process.send('ready')" };
  if (config.exec_mode === 'cluster') return { event: 'listening', missing: 'listening server' };
  return { event: 'spawned', missing: 'process' };
}

/** Launches one process and turns its handle's events into a run's readiness and the listener's calls. */
export function startRun(launcher: Launcher, config: AppConfig, env: Record<string, string>, tag: ChildTag, listener: RunListener): Run {
  const run = new Run();
  run.handle = launcher.launch(env, handleEvents(run, config, env, listener), tag);
  return run;
}

/** Takes over a process the keeper held when this daemon started: it runs already, and counts as ready if it had said so. */
export function adoptRun(launcher: Launcher, config: AppConfig, child: KeptChild, listener: RunListener, env: Record<string, string>): Run {
  const run = new Run(child.startedAt);
  run.spawnedAt = child.startedAt;
  run.handle = launcher.adopt(child, handleEvents(run, config, env, listener));
  const sign = onlineSign(config).event;
  // The keeper does not know health: an adopted app is online and checked from now on.
  if (sign === 'healthy') startHealth(run, config, env, listener, () => undefined);
  if (sign === 'spawned' || sign === 'healthy' || (sign === 'listening' && child.listening) || (sign === 'ready' && child.ready))
    run.mark('ready');
  else
    run.armTimeout(Math.max(0, config.listen_timeout - (Date.now() - child.startedAt)), () =>
      listener.timedOut(run, onlineSign(config).missing),
    );
  return run;
}

function handleEvents(run: Run, config: AppConfig, env: Record<string, string>, listener: RunListener): HandleEvents {
  const sign = onlineSign(config);
  const becameReady = () => run.mark('ready') && listener.ready(run);
  return {
    spawned: () => {
      // Node apps say when their code starts (sup's runtime, preloaded); other programs start with their spawn.
      if (config.interpreter !== 'node') run.spawnedAt = Date.now();
      if (sign.event === 'spawned') return void becameReady();
      run.armTimeout(config.listen_timeout, () => listener.timedOut(run, sign.missing));
      // A cluster worker is checked on its own port, once it has opened it (when the app listens).
      if (sign.event === 'healthy' && !usesProbePort(config)) startHealth(run, config, env, listener, becameReady);
    },
    listening: () => sign.event === 'listening' && becameReady(),
    ready: () => sign.event === 'ready' && becameReady(),
    message: (data) => {
      if (isWorkerControl(data) && data[WORKER_TAG] === 'hung') return listener.hung(run, data);
      // The app's code starts now: later than the spawn on a loaded machine, and what min_uptime counts from.
      if (isWorkerControl(data) && data[WORKER_TAG] === 'running') return void (run.spawnedAt = Date.now());
      if (isWorkerControl(data) && data[WORKER_TAG] === 'runtime') {
        const { [WORKER_TAG]: _tag, ...figures } = data;
        return void (run.runtime = { ...figures, at: Date.now() });
      }
      if (isWorkerControl(data) && data[WORKER_TAG] === 'probe-port') {
        if (!run.health && sign.event === 'healthy') startHealth(run, config, env, listener, becameReady, data.port);
        return;
      }
      listener.message(data);
    },
    output: (stream, chunk) => {
      if (stream === 'err') run.stderr.add(chunk);
      return listener.output(stream, chunk);
    },
    exited: (exit) => {
      run.health?.stop();
      run.exit = exit;
      run.mark('exited');
      listener.exited(run, exit);
    },
  };
}

/** Checks a run's health from its spawn: the first pass is its readiness; every change goes to the listener. */
function startHealth(
  run: Run,
  config: AppConfig,
  env: Record<string, string>,
  listener: RunListener,
  becameReady: () => void,
  ownPort?: number,
): void {
  const check = config.health_check;
  if (!check) return;
  run.health = new HealthChecker(check, probeTarget(check, env, config.cwd, ownPort), run.spawnedAt ?? Date.now(), {
    // Results that change nothing are read on request (list, describe): no event, no state write per probe.
    changed: () => undefined,
    healthy: () => {
      becameReady();
      listener.health(run, 'healthy', 'health check passed');
    },
    unhealthy: (_health, reason) => listener.health(run, 'unhealthy', reason),
  });
  run.health.start();
}

/** Why a reload's replacement did not take over, for the RELOAD_FAILED message. */
export function replacementFailure(config: AppConfig, fresh: Run): string {
  if (fresh.readiness === 'timed-out') {
    const sign = config.health_check
      ? 'did not pass its health check'
      : config.wait_ready
        ? "did not call process.send('ready')"
        : 'did not listen';
    return `the replacement ${sign} within listen_timeout (${config.listen_timeout} ms)`;
  }
  return `the replacement ${fresh.exit ? describeExit(fresh.exit) : 'exited'} before it was online`;
}
