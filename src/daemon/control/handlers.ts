import { SupError } from '../../errors.js';
import type { RequestOf, RequestType, ResponseOf, Topic } from '../../protocol/messages.js';
import { supVersion } from '../../version.js';
import type { AppsContext } from '../apps/context.js';
import {
  describeTargets,
  flushLogs,
  historyOf,
  listProcesses,
  messageTargets,
  reopenLogs,
  signalTargets,
  writeTargets,
} from '../apps/queries.js';
import { triggerAction } from '../apps/actions.js';
import { reloadTargets, restartTargets, startOrRestart } from '../apps/restart.js';
import { renameApp } from '../apps/rename.js';
import { scaleApp } from '../apps/scale.js';
import { startExisting } from '../apps/start.js';
import { startAndWatch } from '../apps/start-watch.js';
import { deleteTargets, stopTargets } from '../apps/stop.js';
import type { DaemonPhase, Handover } from '../lifecycle.js';

/** What a handler may touch: the apps, its own connection, and the daemon's lifecycle. */
export interface HandlerContext {
  apps: AppsContext;
  subscribe(topics: Topic[]): void;
  daemon: {
    readonly phase: DaemonPhase;
    /** Resolves once the daemon runs. */
    readonly started: Promise<void>;
    /** Says that a request waits for the daemon to run (a first command's daemon starts its keeper then). */
    need(): void;
    readonly startedAt: number;
    /** Stops every app (or, handing over as they run, none); resolves with how many instances were stopped. */
    stopApps(handover?: Handover): Promise<number>;
    /** The keeper this daemon talks to, once it is up. */
    readonly keeper: { pid: number; protocol: number } | null;
    save(force: boolean): Promise<ResponseOf<'save'>>;
    resurrect(): Promise<ResponseOf<'resurrect'>>;
    /** Exits once the current replies are flushed. */
    exitSoon(): void;
  };
}

type Handler<K extends RequestType> = (req: RequestOf<K>, ctx: HandlerContext) => Promise<ResponseOf<K>> | ResponseOf<K>;
export type Handlers = { [K in RequestType]: Handler<K> };

// Requests that change apps are refused unless the daemon is running; reads still work.
const MUTATING: ReadonlySet<RequestType> = new Set([
  'start',
  'startExisting',
  'startOrRestart',
  'stop',
  'restart',
  'delete',
  'reset',
  'reload',
  'scale',
  'rename',
  'flush',
  'resurrect',
  'save',
]);

// Answered at once, even while the daemon starts: a liveness probe, and the way to stop it.
const IMMEDIATE: ReadonlySet<RequestType> = new Set(['ping', 'kill']);

/**
 * A request waits while the daemon starts (its keeper, the previous apps coming back), so that it sees and acts on
 * what runs; one that changes apps is refused once the daemon stops.
 */
export async function assertAccepting(type: RequestType, ctx: HandlerContext): Promise<void> {
  if (IMMEDIATE.has(type)) return;
  if (ctx.daemon.phase === 'starting') {
    ctx.daemon.need();
    await ctx.daemon.started;
  }
  if (MUTATING.has(type) && ctx.daemon.phase !== 'running') {
    throw new SupError('SHUTTING_DOWN', 'the sup daemon is shutting down; try again in a moment');
  }
}

export const handlers: Handlers = {
  ping: (_req, ctx) => ({ pid: process.pid, version: supVersion(), uptime: Date.now() - ctx.daemon.startedAt, keeper: ctx.daemon.keeper }),
  start: (req, ctx) => startAndWatch(ctx.apps, req.apps, req.env, req.existing, req.watchMs),
  startExisting: (req, ctx) => startExisting(ctx.apps, req.targets),
  stop: async (req, ctx) => ({ processes: await stopTargets(ctx.apps, req.targets) }),
  restart: async (req, ctx) => ({ processes: await restartTargets(ctx.apps, req.targets, req.env) }),
  startOrRestart: (req, ctx) =>
    startOrRestart(ctx.apps, req.apps, req.env, { action: req.action, updateEnv: req.updateEnv, parallel: req.parallel }),
  delete: async (req, ctx) => ({ processes: await deleteTargets(ctx.apps, req.targets) }),
  reset: (req, ctx) => {
    const picked = ctx.apps.registry.select(req.targets);
    picked.forEach((p) => p.instance.reset());
    return { processes: picked.map((p) => p.instance.info()) };
  },
  list: (_req, ctx) => ({ processes: listProcesses(ctx.apps) }),
  describe: (req, ctx) => ({ processes: describeTargets(ctx.apps, req.targets) }),
  subscribe: (req, ctx) => {
    ctx.subscribe(req.topics);
    return {};
  },
  reload: (req, ctx) => reloadTargets(ctx.apps, req.targets, req.parallel, req.env),
  flush: (req, ctx) => ({ files: flushLogs(ctx.apps, req.targets) }),
  reloadLogs: (_req, ctx) => ({ files: reopenLogs(ctx.apps) }),
  history: (req, ctx) => historyOf(ctx.apps, req.id),
  scale: (req, ctx) => scaleApp(ctx.apps, req.name, req.count),
  rename: (req, ctx) => ({ processes: renameApp(ctx.apps, req.target, req.name) }),
  signal: (req, ctx) => ({ processes: signalTargets(ctx.apps, req.targets, req.signal as NodeJS.Signals) }),
  send: (req, ctx) => ({ processes: writeTargets(ctx.apps, req.targets, req.line) }),
  message: (req, ctx) => ({ processes: messageTargets(ctx.apps, req.targets, req.message) }),
  trigger: async (req, ctx) => ({ replies: await triggerAction(ctx.apps, req.targets, req.action, req.params) }),
  save: (req, ctx) => ctx.daemon.save(req.force),
  resurrect: (_req, ctx) => ctx.daemon.resurrect(),
  kill: async (req, ctx) => {
    const stopped = await ctx.daemon.stopApps(req.handover ? (req.keepApps ? 'keep' : 'restart') : false);
    ctx.daemon.exitSoon();
    return { stopped };
  },
};
