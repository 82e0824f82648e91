import { constants } from 'node:os';
import { appConfigSchema } from '../../config/app-config.js';
import type { Api, RequestType } from '../../protocol/messages.js';
import { boolean, type Infer, integer, oneOf, optional, refine, type Shape, show, string, unknown } from '../../protocol/shape.js';
import { array, object, record } from '../../protocol/shape-compound.js';

const none = object({});
const targetList = array(string({ min: 1, max: 256 }), { min: 1, max: 1000 });
const targets = object({ targets: targetList });
const env = record(string());
const apps = array(appConfigSchema, { min: 1, max: 1000 });
const parallel = integer({ min: 1, max: 1000 });

/** How the daemon checks each request's body; a request type without a schema does not compile. */
export const requestSchemas = {
  ping: none,
  start: object({
    apps,
    env,
    existing: oneOf(['restart', 'replace', 'copy']),
    watchMs: optional(integer({ min: 0, max: 60_000 })),
  }),
  startExisting: targets,
  stop: targets,
  restart: object({ targets: targetList, env: optional(env) }),
  startOrRestart: object({ apps, env, action: oneOf(['restart', 'reload']), updateEnv: boolean(), parallel }),
  delete: targets,
  reset: targets,
  list: none,
  describe: targets,
  subscribe: object({ topics: array(oneOf(['process', 'log', 'message', 'metrics', 'events']), { max: 5 }) }),
  history: object({ id: integer({ min: 0 }) }),
  kill: object({ handover: optional(boolean()), keepApps: optional(boolean()) }),
  save: object({ force: boolean() }),
  resurrect: none,
  flush: object({ targets: array(string({ min: 1, max: 256 }), { max: 1000 }) }),
  reloadLogs: none,
  reload: object({ targets: targetList, parallel, env: optional(env) }),
  rename: object({ target: string({ min: 1, max: 256 }), name: string({ min: 1, max: 256 }) }),
  scale: object({ name: string({ min: 1, max: 256 }), count: string({ min: 1, max: 16 }) }),
  signal: object({
    targets: targetList,
    signal: refine(
      string(),
      (s) => s in constants.signals,
      (s) => `expected a signal name such as "SIGTERM", got ${show(s)}`,
    ),
  }),
  send: object({ targets: targetList, line: string({ max: 1_000_000 }) }),
  message: object({ targets: targetList, message: unknown() }),
  trigger: object({ targets: targetList, action: string({ min: 1, max: 256 }), params: optional(unknown()) }),
} satisfies { [K in RequestType]: Shape<Api[K]['request']> };

// Exactly the same types, optional keys included: a key only one side has does not compile either (the error names
// the request types whose schema has drifted).
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Drifted = { [K in RequestType]: Same<Infer<(typeof requestSchemas)[K]>, Api[K]['request']> extends true ? never : K }[RequestType];
const drifted: { [K in Drifted]: true } = {};
