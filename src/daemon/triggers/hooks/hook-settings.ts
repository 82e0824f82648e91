import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { HOOK_EVENTS, hookSchema } from '../../../config/app-config.js';
import { parseDuration } from '../../../config/units.js';
import { check, type Infer, integer, mismatch, parseOrThrow, transform, unknown, withDefault } from '../../../protocol/shape.js';
import { object, partialRecord } from '../../../protocol/shape-compound.js';

/** The daemon-wide hooks file, in SUP_HOME: hooks for every app's events, and how all hooks run. */
export const HOOKS_FILE = 'hooks.json';

const duration = (fallback: number) =>
  withDefault(
    transform(unknown(), (v) => parseDuration(v) ?? mismatch('a duration such as "10s"', v)),
    fallback,
  );

export const hookSettingsSchema = object({
  /** Run on these events of every app, besides the app's own hooks. */
  hooks: withDefault(partialRecord(HOOK_EVENTS, hookSchema), {}),
  /** Hooks running at once; the rest wait their turn (up to max_queue). */
  concurrency: withDefault(integer({ min: 1, max: 64 }), 4),
  max_queue: withDefault(integer({ min: 1, max: 100_000 }), 1000),
  /** A command is killed (its process group, SIGKILL) after this; a webhook attempt is abandoned. */
  timeout: duration(10_000),
  /** Further attempts of a webhook that got no answer or a 5xx. */
  retries: withDefault(integer({ min: 0, max: 10 }), 3),
  rate_limit: withDefault(object({ burst: withDefault(integer({ min: 1 }), 5), window: duration(60_000) }), { burst: 5, window: 60_000 }),
});
export type HookSettings = Infer<typeof hookSettingsSchema>;

export const DEFAULT_SETTINGS: HookSettings = parseOrThrow(hookSettingsSchema, {});

/**
 * SUP_HOME/hooks.json, read again when it changes (a stat per event, no watcher): edits apply without a restart.
 * A broken file is reported once (per content) in daemon.log and counts as no file.
 */
const RECHECK_MS = 1000;

export class HookSettingsFile {
  readonly path: string;
  private seen = '';
  private checkedAt = Number.NEGATIVE_INFINITY;
  private settings = DEFAULT_SETTINGS;

  constructor(
    home: string,
    private readonly log: (message: string) => void,
  ) {
    this.path = join(home, HOOKS_FILE);
  }

  /** The file's settings; it is looked at again at most once a second (every app event asks, a crash loop often). */
  current(): HookSettings {
    const now = Date.now();
    if (now - this.checkedAt < RECHECK_MS) return this.settings;
    this.checkedAt = now;
    let stamp = 'missing';
    try {
      const st = statSync(this.path);
      stamp = `${st.mtimeMs}:${st.size}:${st.ino}`;
    } catch {}
    if (stamp !== this.seen) {
      this.seen = stamp;
      this.settings = stamp === 'missing' ? DEFAULT_SETTINGS : this.read();
    }
    return this.settings;
  }

  private read(): HookSettings {
    try {
      const parsed = check(hookSettingsSchema, JSON.parse(readFileSync(this.path, 'utf8')));
      if (parsed.ok) return parsed.value;
      const { path, message } = parsed.issue;
      this.log(`${this.path}: ${path.join('.') || '(top)'}: ${message}; hooks of this file are off until it is fixed`);
    } catch (err) {
      this.log(`${this.path}: ${(err as Error).message}; hooks of this file are off until it is fixed`);
    }
    return DEFAULT_SETTINGS;
  }
}
