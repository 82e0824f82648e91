import type { AppConfig } from '../../config/app-config.js';
import type { ChildTag, KeptChild } from '../../protocol/keeper.js';
import type { ExitInfo, HandleEvents, Launcher } from '../launch/launcher.js';
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
}

/** What an app is waiting for before an instance counts as online, in the words a status reason uses. */
export function onlineSign(config: AppConfig): { event: 'spawned' | 'listening' | 'ready'; missing: string } {
  if (config.wait_ready) return { event: 'ready', missing: "process.send('ready')" };
  if (config.exec_mode === 'cluster') return { event: 'listening', missing: 'listening server' };
  return { event: 'spawned', missing: 'process' };
}

/** Launches one process and turns its handle's events into a run's readiness and the listener's calls. */
export function startRun(launcher: Launcher, config: AppConfig, env: Record<string, string>, tag: ChildTag, listener: RunListener): Run {
  const run = new Run();
  run.handle = launcher.launch(env, handleEvents(run, config, listener), tag);
  return run;
}

/** Takes over a process the keeper held when this daemon started: it runs already, and counts as ready if it had said so. */
export function adoptRun(launcher: Launcher, config: AppConfig, child: KeptChild, listener: RunListener): Run {
  const run = new Run(child.startedAt);
  run.handle = launcher.adopt(child, handleEvents(run, config, listener));
  const sign = onlineSign(config).event;
  if (sign === 'spawned' || (sign === 'listening' && child.listening) || (sign === 'ready' && child.ready)) run.mark('ready');
  else
    run.armTimeout(Math.max(0, config.listen_timeout - (Date.now() - child.startedAt)), () =>
      listener.timedOut(run, onlineSign(config).missing),
    );
  return run;
}

function handleEvents(run: Run, config: AppConfig, listener: RunListener): HandleEvents {
  const sign = onlineSign(config);
  const becameReady = () => run.mark('ready') && listener.ready(run);
  return {
    spawned: () => {
      if (sign.event === 'spawned') return void becameReady();
      run.armTimeout(config.listen_timeout, () => listener.timedOut(run, sign.missing));
    },
    listening: () => sign.event === 'listening' && becameReady(),
    ready: () => sign.event === 'ready' && becameReady(),
    message: (data) => listener.message(data),
    output: (stream, chunk) => listener.output(stream, chunk),
    exited: (exit) => {
      run.exit = exit;
      run.mark('exited');
      listener.exited(run, exit);
    },
  };
}

/** Why a reload's replacement did not take over, for the RELOAD_FAILED message. */
export function replacementFailure(config: AppConfig, fresh: Run): string {
  if (fresh.readiness === 'timed-out') {
    const sign = config.wait_ready ? "did not call process.send('ready')" : 'did not listen';
    return `the replacement ${sign} within listen_timeout (${config.listen_timeout} ms)`;
  }
  return `the replacement ${fresh.exit ? describeExit(fresh.exit) : 'exited'} before it was online`;
}
