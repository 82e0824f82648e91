import { appConfigSchema } from '../config/app-config.js';
import type { Status } from '../protocol/messages.js';
import { check, type Infer, Issue, integer, literal, nullable, number, oneOf, string, transform } from '../protocol/shape.js';
import { array, object, record } from '../protocol/shape-compound.js';

/**
 * What sup writes to SUP_HOME: the live state (state.json, rewritten on every change) and the
 * explicit dump (`sup save`, dump.json). Both have this shape, so a dump restores exactly as a crash does.
 * Outside the app configs (strict), keys sup does not know are left out rather than refused.
 */

const savedInstance = object(
  {
    id: integer({ min: 0 }),
    index: integer({ min: 0 }),
    /** What the instance should be once restored: a stopped or errored one stays so, the others run. */
    wanted: oneOf(['running', 'stopped', 'errored']),
    restarts: integer({ min: 0 }),
    status_reason: nullable(string()),
    restart_reason: nullable(string()),
  },
  { unknownKeys: 'strip' },
);

const savedApp = object(
  {
    config: appConfigSchema,
    /** Index into envs: apps started together share one copy of the shell's environment. */
    env: integer({ min: 0 }),
    instances: array(savedInstance, { min: 1 }),
  },
  { unknownKeys: 'strip' },
);

const snapshotFields = object(
  {
    format: literal(1),
    saved_at: number(),
    /** The daemon that wrote it, and how it ended: still running (or killed), stopped on request, or handing over (`sup update`). */
    phase: oneOf(['running', 'stopped', 'handover']),
    /** The machine's boot: a state from an earlier boot is not restored by itself (the dump is, by `sup resurrect`). */
    boot: string(),
    daemon_pid: integer(),
    next_id: integer({ min: 0 }),
    envs: array(record(string())),
    apps: array(savedApp),
  },
  { unknownKeys: 'strip' },
);

/** What no single app's shape can see: ids and names unique across apps, every env index in range. */
function inconsistency(s: Infer<typeof snapshotFields>): string | undefined {
  const ids = s.apps.flatMap((a) => a.instances.map((i) => i.id));
  if (new Set(ids).size !== ids.length) return 'an id is used twice';
  if (new Set(s.apps.map((a) => a.config.name)).size !== s.apps.length) return 'an app name is used twice';
  if (s.apps.some((a) => a.env >= s.envs.length)) return 'an app refers to a missing environment';
  return undefined;
}

const snapshotSchema = transform(snapshotFields, (s) => {
  const why = inconsistency(s);
  return why === undefined ? s : new Issue(why);
});

export type SavedInstance = Infer<typeof savedInstance>;
export type SavedApp = Infer<typeof savedApp>;
export type Snapshot = Infer<typeof snapshotSchema>;
export type Phase = Snapshot['phase'];
export type Wanted = SavedInstance['wanted'];

/** Parses a state or dump file; the reason says what is wrong when it is not a usable snapshot. */
export function parseSnapshot(text: string): { ok: true; snapshot: Snapshot } | { ok: false; reason: string } {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    return { ok: false, reason: text.length === 0 ? 'the file is empty' : `not JSON (${(err as Error).message})` };
  }
  const parsed = check(snapshotSchema, data);
  if (!parsed.ok) {
    const { path, message } = parsed.issue;
    return { ok: false, reason: `${path.length > 0 ? `${path.join('.')}: ` : ''}${message}` };
  }
  return { ok: true, snapshot: parsed.value };
}

/** The intent behind a live status: anything on its way up, or crashed and waiting, should run again. */
export function wantedOf(status: Status): Wanted {
  // A one-shot task that completed is not run again by a restore; one that failed comes back as errored.
  if (status === 'stopped' || status === 'completed') return 'stopped';
  if (status === 'errored' || status === 'failed') return 'errored';
  return 'running';
}

export interface RecoveryPlan {
  /** Processes an earlier daemon of this boot may have left (killed mid-way through anything) are ended first. */
  endLeftovers: boolean;
  /** live: the apps of the last state; dump: the saved list (`sup save`); none: start empty. */
  restore: 'live' | 'dump' | 'none';
}

/**
 * What a daemon starting now does with the live state it found. A state of this boot is brought back unless its
 * daemon was stopped on request; at boot (`resurrectAtStart`, the systemd unit) a stopped one too (`systemctl
 * restart` brings the apps back), and only a state from an earlier boot, or none, gives way to the saved list: a
 * daemon restarted after a crash must not resurrect apps deleted since the last save.
 */
export function planRecovery(found: Snapshot | undefined, boot: string, resurrectAtStart: boolean): RecoveryPlan {
  const thisBoot = found !== undefined && found.boot === boot;
  if (!thisBoot) return { endLeftovers: false, restore: resurrectAtStart ? 'dump' : 'none' };
  const wanted = found.apps.length > 0 && (found.phase !== 'stopped' || resurrectAtStart);
  return { endLeftovers: true, restore: wanted ? 'live' : 'none' };
}
