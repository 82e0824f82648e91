import { z } from 'zod';
import { appConfigSchema } from '../config/app-config.js';
import type { Status } from '../protocol/messages.js';

/**
 * What sup writes to SUP_HOME: the live state (state.json, rewritten on every change) and the
 * explicit dump (`sup save`, dump.json). Both have this shape, so a dump restores exactly as a crash does.
 */

const savedInstance = z.object({
  id: z.number().int().min(0),
  index: z.number().int().min(0),
  /** What the instance should be once restored: a stopped or errored one stays so, the others run. */
  wanted: z.enum(['running', 'stopped', 'errored']),
  restarts: z.number().int().min(0),
  status_reason: z.string().nullable(),
  restart_reason: z.string().nullable(),
});

const savedApp = z.object({
  config: appConfigSchema,
  /** Index into envs: apps started together share one copy of the shell's environment. */
  env: z.number().int().min(0),
  instances: z.array(savedInstance).min(1),
});

const snapshotSchema = z
  .object({
    format: z.literal(1),
    saved_at: z.number(),
    /** The daemon that wrote it, and how it ended: still running (or killed), stopped on request, or handing over (`sup update`). */
    phase: z.enum(['running', 'stopped', 'handover']),
    /** The machine's boot: a state from an earlier boot is not restored by itself (the dump is, by `sup resurrect`). */
    boot: z.string(),
    daemon_pid: z.number().int(),
    next_id: z.number().int().min(0),
    envs: z.array(z.record(z.string(), z.string())),
    apps: z.array(savedApp),
  })
  .superRefine((s, ctx) => {
    const ids = s.apps.flatMap((a) => a.instances.map((i) => i.id));
    if (new Set(ids).size !== ids.length) ctx.addIssue({ code: 'custom', message: 'an id is used twice' });
    if (new Set(s.apps.map((a) => a.config.name)).size !== s.apps.length)
      ctx.addIssue({ code: 'custom', message: 'an app name is used twice' });
    if (s.apps.some((a) => a.env >= s.envs.length)) ctx.addIssue({ code: 'custom', message: 'an app refers to a missing environment' });
  });

export type SavedInstance = z.infer<typeof savedInstance>;
export type SavedApp = z.infer<typeof savedApp>;
export type Snapshot = z.infer<typeof snapshotSchema>;
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
  const parsed = snapshotSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { ok: false, reason: `${issue.path.length > 0 ? `${issue.path.join('.')}: ` : ''}${issue.message}` };
  }
  return { ok: true, snapshot: parsed.data as Snapshot };
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
