import type { AppConfig } from '../../config/app-config.js';
import type { ExitInfo, Launcher } from '../launch/launcher.js';
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
export function startRun(launcher: Launcher, config: AppConfig, env: Record<string, string>, listener: RunListener): Run {
  const run = new Run();
  const sign = onlineSign(config);
  const becameReady = () => run.mark('ready') && listener.ready(run);
  run.handle = launcher.launch(env, {
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
  });
  return run;
}

/** Why a reload's replacement did not take over, for the RELOAD_FAILED message. */
export function replacementFailure(config: AppConfig, fresh: Run): string {
  if (fresh.readiness === 'timed-out') {
    const sign = config.wait_ready ? "did not call process.send('ready')" : 'did not listen';
    return `the replacement ${sign} within listen_timeout (${config.listen_timeout} ms)`;
  }
  return `the replacement ${fresh.exit ? describeExit(fresh.exit) : 'exited'} before it was online`;
}
