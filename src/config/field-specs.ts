import { constants } from 'node:os';
import { z } from 'zod';
import { parseDuration, parseSize, splitArgs } from './units.js';

/**
 * One entry per ecosystem key sup understands: how to read it and, for error messages,
 * what a good value looks like. Adding a key here is all it takes to accept it.
 */
export interface FieldSpec {
  schema: z.ZodType;
  expected: string;
}

/** The value shapes keys share (a duration, a count, an env map...), each with what a good value looks like. */

export const invalid = (ctx: z.RefinementCtx): never => {
  ctx.addIssue({ code: 'custom', message: 'invalid' });
  return z.NEVER;
};

export const duration: FieldSpec = {
  schema: z.union([z.number(), z.string()]).transform((v, ctx) => parseDuration(v) ?? invalid(ctx)),
  expected: 'a duration in ms or like "500ms", "5s", "1m"',
};
// PM2 reads a number given as a string ("max_restarts": "50") as the number.
export const count: FieldSpec = {
  schema: z.union([
    z.number().int().min(0),
    z
      .string()
      .regex(/^\s*\d+\s*$/)
      .transform(Number),
  ]),
  expected: 'a whole number ≥ 0',
};
export const bool: FieldSpec = { schema: z.boolean(), expected: 'true or false' };
export const text: FieldSpec = { schema: z.string().min(1), expected: 'a non-empty string' };
export const argv: FieldSpec = {
  schema: z.union([z.string().transform(splitArgs), z.array(z.string())]),
  expected: 'a string or an array of strings',
};
// As PM2: numbers and booleans become strings, objects their JSON, and null means "not set".
export const envMap: FieldSpec = {
  schema: z
    .record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null(), z.record(z.string(), z.unknown()), z.array(z.unknown())]))
    .transform((env) =>
      Object.fromEntries(
        Object.entries(env)
          .filter(([, v]) => v !== null)
          .map(([k, v]) => [k, typeof v === 'object' ? JSON.stringify(v) : String(v)]),
      ),
    ),
  expected: 'an object of values (strings; numbers, booleans and objects are written as PM2 writes them)',
};
export const signal: FieldSpec = {
  schema: z
    .string()
    .transform((s) => s.toUpperCase())
    .transform((s) => (s.startsWith('SIG') ? s : `SIG${s}`))
    .refine((s) => s in constants.signals),
  expected: 'a signal name such as "SIGTERM" or "SIGINT"',
};
