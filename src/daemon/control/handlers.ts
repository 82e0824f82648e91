import { SupError } from '../../errors.js';
import type { RequestOf, RequestType, ResponseOf, Topic } from '../../protocol/messages.js';
import { supVersion } from '../../version.js';
import type { Supervisor } from '../apps/registry.js';

export type DaemonState = 'running' | 'shutting-down';

/** What a handler may touch: the registry, its own connection, and the daemon's lifecycle. */
export interface HandlerContext {
  supervisor: Supervisor;
  subscribe(topics: Topic[]): void;
  daemon: {
    readonly state: DaemonState;
    readonly startedAt: number;
    /** Stops every app; resolves with how many instances were stopped. With handover the next daemon starts them again. */
    stopApps(handover?: boolean): Promise<number>;
    save(force: boolean): Promise<ResponseOf<'save'>>;
    resurrect(): Promise<ResponseOf<'resurrect'>>;
    /** Exits once the current replies are flushed. */
    exitSoon(): void;
  };
}

type Handler<K extends RequestType> = (req: RequestOf<K>, ctx: HandlerContext) => Promise<ResponseOf<K>> | ResponseOf<K>;
export type Handlers = { [K in RequestType]: Handler<K> };

// Requests that change apps are refused while the daemon shuts down; reads still work.
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
  'flush',
  'resurrect',
  'save',
]);

export function assertAccepting(type: RequestType, ctx: HandlerContext): void {
  if (ctx.daemon.state !== 'running' && MUTATING.has(type)) {
    throw new SupError('SHUTTING_DOWN', 'the sup daemon is shutting down; try again in a moment');
  }
}

export const handlers: Handlers = {
  ping: (_req, ctx) => ({ pid: process.pid, version: supVersion(), uptime: Date.now() - ctx.daemon.startedAt }),
  start: async (req, ctx) => ({ processes: await ctx.supervisor.start(req.apps, req.env, req.force) }),
  startExisting: (req, ctx) => ctx.supervisor.startExisting(req.targets),
  stop: async (req, ctx) => ({ processes: await ctx.supervisor.stop(req.targets) }),
  restart: async (req, ctx) => ({ processes: await ctx.supervisor.restart(req.targets, req.env) }),
  startOrRestart: (req, ctx) =>
    ctx.supervisor.startOrRestart(req.apps, req.env, { action: req.action, updateEnv: req.updateEnv, parallel: req.parallel }),
  delete: async (req, ctx) => ({ processes: await ctx.supervisor.delete(req.targets) }),
  reset: async (req, ctx) => ({ processes: await ctx.supervisor.reset(req.targets) }),
  list: (_req, ctx) => ({ processes: ctx.supervisor.list() }),
  describe: (req, ctx) => ({ processes: ctx.supervisor.describe(req.targets) }),
  subscribe: (req, ctx) => {
    ctx.subscribe(req.topics);
    return {};
  },
  reload: (req, ctx) => ctx.supervisor.reload(req.targets, req.parallel, req.env),
  flush: (req, ctx) => ({ files: ctx.supervisor.flushLogs(req.targets) }),
  reloadLogs: (_req, ctx) => ({ files: ctx.supervisor.reopenLogs() }),
  history: (req, ctx) => ctx.supervisor.history(req.id),
  scale: (req, ctx) => ctx.supervisor.scale(req.name, req.count),
  signal: (req, ctx) => ({ processes: ctx.supervisor.signal(req.targets, req.signal as NodeJS.Signals) }),
  send: (req, ctx) => ({ processes: ctx.supervisor.send(req.targets, req.message) }),
  save: (req, ctx) => ctx.daemon.save(req.force),
  resurrect: (_req, ctx) => ctx.daemon.resurrect(),
  kill: async (req, ctx) => {
    const stopped = await ctx.daemon.stopApps(req.handover === true);
    ctx.daemon.exitSoon();
    return { stopped };
  },
};
