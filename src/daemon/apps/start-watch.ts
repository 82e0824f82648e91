import type { AppConfig } from '../../config/app-config.js';
import type { ProcessInfo, StartFailure } from '../../protocol/messages.js';
import type { Instance } from '../instance/instance.js';
import type { AppsContext } from './context.js';
import { type OnExisting, startApps } from './start.js';

// The longest a start waits for its apps to prove they stay up, whatever min_uptime says.
const WATCH_CAP_MS = 5000;
// Slack for the spawn itself on a loaded machine: the window counts from the spawn, not the request.
const SPAWN_SLACK_MS = 3000;
const POLL_MS = 50;

/**
 * `sup start`: starts the apps, then waits a short bounded time (min_uptime, at most 5 s) for each started instance
 * to stay up that long since its spawn, so that an app that throws at start is reported at once with its exit and
 * its last stderr lines, instead of "online" and a backoff that takes a minute to end in errored.
 */
export async function startAndWatch(
  ctx: AppsContext,
  configs: AppConfig[],
  env: Record<string, string>,
  onExisting: OnExisting,
  watchMs?: number,
): Promise<{ processes: ProcessInfo[]; restarted: string[]; failures: StartFailure[] }> {
  const since = Date.now();
  const { restarted } = await startApps(ctx, configs, env, onExisting);
  const started = configs.flatMap((c) => ctx.registry.get(c.name)?.instances.map((i) => ({ config: c, instance: i })) ?? []);
  const watched = started.filter((s) => s.config.autostart);
  const windowOf = (config: AppConfig) => watchMs ?? Math.min(WATCH_CAP_MS, config.min_uptime);
  const windowMs = Math.max(0, ...watched.map((s) => windowOf(s.config)));
  const deadline = windowMs === 0 ? 0 : Date.now() + windowMs + SPAWN_SLACK_MS;
  const settled = (s: (typeof watched)[number]) => {
    const up = s.instance.spawnedAt;
    const window = windowOf(s.config);
    return s.instance.exits.crashesSince(since).length > 0 || !s.instance.isRunning() || (up !== null && Date.now() - up >= window);
  };
  while (Date.now() < deadline && !watched.every(settled)) await new Promise((r) => setTimeout(r, POLL_MS));
  // Watching off (SUP_START_WATCH_MS=0): the start reports no crash, even one that happened while it ran.
  const failures = watchMs === 0 ? [] : watched.flatMap((s) => failureOf(s.instance, s.config, since));
  return { processes: started.map((s) => s.instance.info()), restarted, failures };
}

/** A crash: an exit 0 (a script that is done) or a code listed in stop_exit_codes is how the app means to end. */
function failureOf(instance: Instance, config: AppConfig, since: number): StartFailure[] {
  const exit = instance.exits
    .crashesSince(since)
    .find((e) => e.signal !== null || (e.code !== 0 && !(e.code !== null && config.stop_exit_codes.includes(e.code))));
  return exit ? [{ id: instance.id, name: config.name, exit }] : [];
}
