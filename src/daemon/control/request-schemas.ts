import { constants } from 'node:os';
import { z } from 'zod';
import { appConfigSchema } from '../../config/app-config.js';
import type { Api, RequestType } from '../../protocol/messages.js';

const none = z.object({}).strict();
const targets = z.object({ targets: z.array(z.string().min(1).max(256)).min(1).max(1000) }).strict();

/** How the daemon checks each request's body; a request type without a schema does not compile. */
export const requestSchemas = {
  ping: none,
  start: z
    .object({
      apps: z.array(appConfigSchema).min(1).max(1000),
      env: z.record(z.string(), z.string()),
      existing: z.enum(['restart', 'replace', 'copy']),
      watchMs: z.number().int().min(0).max(60_000).optional(),
    })
    .strict(),
  startExisting: targets,
  stop: targets,
  restart: targets.extend({ env: z.record(z.string(), z.string()).optional() }).strict(),
  startOrRestart: z
    .object({
      apps: z.array(appConfigSchema).min(1).max(1000),
      env: z.record(z.string(), z.string()),
      action: z.enum(['restart', 'reload']),
      updateEnv: z.boolean(),
      parallel: z.number().int().min(1).max(1000),
    })
    .strict(),
  delete: targets,
  reset: targets,
  list: none,
  describe: targets,
  subscribe: z.object({ topics: z.array(z.enum(['process', 'log', 'message', 'metrics', 'events'])).max(5) }).strict(),
  history: z.object({ id: z.number().int().min(0) }).strict(),
  kill: z.object({ handover: z.boolean().optional(), keepApps: z.boolean().optional() }).strict(),
  save: z.object({ force: z.boolean() }).strict(),
  resurrect: none,
  flush: z.object({ targets: z.array(z.string().min(1).max(256)).max(1000) }).strict(),
  reloadLogs: none,
  reload: targets.extend({ parallel: z.number().int().min(1).max(1000), env: z.record(z.string(), z.string()).optional() }).strict(),
  rename: z.object({ target: z.string().min(1).max(256), name: z.string().min(1).max(256) }).strict(),
  scale: z.object({ name: z.string().min(1).max(256), count: z.string().min(1).max(16) }).strict(),
  signal: targets.extend({ signal: z.string().refine((s) => s in constants.signals, 'an unknown signal name') }).strict(),
  send: targets.extend({ line: z.string().max(1_000_000) }).strict(),
  message: targets.extend({ message: z.unknown() }).strict(),
  trigger: targets.extend({ action: z.string().min(1).max(256), params: z.unknown().optional() }).strict(),
} satisfies { [K in RequestType]: z.ZodType<Api[K]['request']> };
