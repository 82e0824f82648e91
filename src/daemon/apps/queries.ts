import { SupError } from '../../errors.js';
import type { MetricsSample, ProcessDescription, ProcessInfo, Selector } from '../../protocol/messages.js';
import type { Instance } from '../instance/instance.js';
import type { AppsContext } from './context.js';
import { describeProcess } from './describe-process.js';
import { Registry } from './registry.js';

/** Reads and small acts on running processes: list, describe, history, signal, send, and the log files. */

export function listProcesses(ctx: AppsContext): ProcessInfo[] {
  return ctx.registry.all().map((p) => p.instance.info());
}

export function describeTargets(ctx: AppsContext, targets: Selector[]): ProcessDescription[] {
  return ctx.registry.select(targets).map(({ app, instance }) => describeProcess(app, instance, ctx.services.monitorIntervalMs));
}

export function historyOf(ctx: AppsContext, id: number): { id: number; interval_ms: number; samples: MetricsSample[] } {
  const [found] = ctx.registry.select([String(id)]);
  return { id, interval_ms: ctx.services.monitorIntervalMs, samples: found!.instance.resources.samples.list() };
}

/** Instances with a live process, for the monitor's pass each second: straight from the apps, unsorted. */
export function runningInstances(ctx: AppsContext): Instance[] {
  return ctx.registry.list().flatMap((app) => app.instances.filter((i) => i.pid !== null && i.isRunning()));
}

export function signalTargets(ctx: AppsContext, targets: Selector[], signal: NodeJS.Signals): ProcessInfo[] {
  const hit = ctx.registry.select(targets).filter((p) => p.instance.signal(signal));
  if (hit.length === 0) throw new SupError('NOT_FOUND', `no running process matches ${targets.join(', ')}; nothing to signal`);
  return hit.map((p) => p.instance.info());
}

/** `sup send`: a line to stdin of every running instance selected (PM2 adds the newline). */
export function writeTargets(ctx: AppsContext, targets: Selector[], line: string): ProcessInfo[] {
  const hit = ctx.registry.select(targets).filter((p) => p.instance.write(line.endsWith('\n') ? line : `${line}\n`));
  if (hit.length === 0) throw new SupError('NOT_FOUND', `no running process matches ${targets.join(', ')}; nothing to write to`);
  return hit.map((p) => p.instance.info());
}

export function messageTargets(ctx: AppsContext, targets: Selector[], message: unknown): ProcessInfo[] {
  const hit = ctx.registry.select(targets).filter((p) => p.instance.send(message));
  if (hit.length === 0) {
    throw new SupError(
      'NOT_FOUND',
      `no running Node process matches ${targets.join(', ')}; messages need an IPC channel (interpreter node)`,
    );
  }
  return hit.map((p) => p.instance.info());
}

/** `sup flush [apps]`: empties their log files; returns the files emptied. */
export function flushLogs(ctx: AppsContext, targets: Selector[]): string[] {
  const apps = targets.length === 0 ? ctx.registry.list() : Registry.appsOf(ctx.registry.select(targets));
  return [...new Set(apps.flatMap((app) => app.logs.truncate()))];
}

/** `sup reload-logs`: every file is opened again on its next write. */
export function reopenLogs(ctx: AppsContext): number {
  const apps = ctx.registry.list();
  apps.forEach((app) => app.logs.reopen());
  return new Set(apps.flatMap((app) => app.logs.allPaths()).filter((p) => p !== '/dev/null')).size;
}
