import type { AppConfig } from '../config/app-config.js';
import { LineSplitter } from '../logs/line-splitter.js';
import type { ProcessInfo, SupEvent } from '../protocol/messages.js';
import type { AppsContext } from './apps/context.js';
import { listProcesses } from './apps/queries.js';
import { startApps } from './apps/start.js';

/**
 * `sup run` (containers): every app's output on sup's own stdout and stderr, line by line with an
 * "id|name | " prefix, so that a log collector keeps lines whole and knows their app.
 */
export class ForegroundOutput {
  private readonly lines = new LineSplitter();

  constructor(
    private readonly out: NodeJS.WritableStream,
    private readonly err: NodeJS.WritableStream,
  ) {}

  event(event: SupEvent): void {
    if (event.type === 'log') {
      const lines = this.lines.push(`${event.id}\0${event.stream}`, event.data);
      if (lines.length > 0) this.target(event.stream).write(lines.map((l) => `${event.id}|${event.name} | ${l}\n`).join(''));
    } else if (event.type === 'process' && !['launching', 'online', 'stopping'].includes(event.process.status)) {
      // A process that ended leaves no line half-printed.
      for (const stream of ['out', 'err'] as const) {
        const rest = this.lines.flush(`${event.process.id}\0${stream}`);
        if (rest !== undefined) this.target(stream).write(`${event.process.id}|${event.process.name} | ${rest}\n`);
      }
    }
  }

  private target(stream: 'out' | 'err'): NodeJS.WritableStream {
    return stream === 'out' ? this.out : this.err;
  }
}

/** Every instance is down for good (exited without a restart coming, or errored): nothing is left to supervise. */
export function hasEnded(processes: readonly ProcessInfo[]): boolean {
  return processes.every((p) => ['stopped', 'errored', 'completed', 'failed'].includes(p.status));
}

// Exiting with 128 + SIGINT or SIGTERM is how many programs say "stopped as asked".
const CLEAN_CODES = new Set([0, 130, 143]);

/**
 * How `sup run` reports its apps to the orchestrator: 0 when every app stopped cleanly (on the signal,
 * within its kill_timeout, or by exiting 0), 1 when one crashed out (errored), had to be SIGKILLed, or exited non-zero.
 */
export function foregroundExitCode(processes: readonly ProcessInfo[]): number {
  const failed = processes.some(
    (p) =>
      p.status === 'errored' ||
      p.status === 'failed' ||
      p.exit_signal === 'SIGKILL' ||
      (p.exit_code !== null && !CLEAN_CODES.has(p.exit_code)),
  );
  return failed ? 1 : 0;
}

/**
 * `sup run`'s start: the apps' output goes to this process's stdout and stderr, and once every app has ended by
 * itself (one-shot jobs, or errored) `ended` is called: the container is done.
 */
export async function startInForeground(
  apps: AppsContext,
  run: { apps: AppConfig[]; env: Record<string, string> },
  ended: () => void,
): Promise<{ ok: true } | { ok: false; error: string }> {
  const output = new ForegroundOutput(process.stdout, process.stderr);
  // Not before the start is done: apps waiting for their dependencies are stopped meanwhile, not ended.
  let started = false;
  apps.services.events.subscribe((event) => {
    output.event(event);
    if (started && event.type === 'process' && hasEnded(listProcesses(apps))) ended();
  }, true);
  try {
    await startApps(apps, run.apps, run.env, 'refuse');
    started = true;
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
  if (hasEnded(listProcesses(apps))) ended();
  return { ok: true };
}
