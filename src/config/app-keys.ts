import { FIELDS, type FieldName } from './fields.js';
import { ALIASES, OUT_OF_SCOPE } from './pm2-compat.js';
import { closest } from './units.js';

/**
 * Which keys of an app mean what: sup's own, PM2's other spellings (its schema's aliases, `cmd`/`command`, and the
 * camelCase alias PM2 gives every key), PM2 keys sup ignores with a warning or refuses, and the rest, unknown.
 */

const camel = (key: string) => key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/** Every alias, computed once per call site from the tables (cheap: a few dozen keys). */
function aliasTable(): Record<string, string> {
  const table: Record<string, string> = { cmd: 'script', command: 'script', ...ALIASES };
  for (const key of [...Object.keys(FIELDS), ...Object.keys(OUT_OF_SCOPE)]) {
    const alias = camel(key);
    if (alias !== key) table[alias] ??= key;
  }
  return table;
}

/** Renames aliases to their keys; an alias given together with its key is a conflict, reported. */
export function canonicalKeys(raw: Record<string, unknown>, label: string, errors: string[]): Record<string, unknown> {
  const aliases = aliasTable();
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    const target = aliases[key];
    if (target === undefined) out[key] = value;
    else if (raw[target] !== undefined && target === 'script' && (key === 'cmd' || key === 'command')) continue;
    else if (raw[target] !== undefined) errors.push(`${label}: "${key}" and "${target}" mean the same; keep one`);
    else out[target] = value;
  }
  return out;
}

export type KeyKind = { kind: 'field'; key: FieldName } | { kind: 'ignored'; why: string } | { kind: 'unknown'; guess: string | undefined };

/** What sup does with a (canonical) key that is not an env block. */
export function classifyKey(key: string): KeyKind {
  if (key in FIELDS) return { kind: 'field', key: key as FieldName };
  if (key in OUT_OF_SCOPE) return { kind: 'ignored', why: OUT_OF_SCOPE[key]! };
  // A suggestion is always a key sup honours, never one it ignores.
  return { kind: 'unknown', guess: closest(key, Object.keys(FIELDS)) };
}
