import type { FieldName } from './fields.js';
import { splitArgs } from './units.js';

/** PM2's other spellings of keys (its lib/API/schema.json): read as the key sup documents. */
export const ALIASES: Readonly<Record<string, FieldName>> = {
  output: 'out_file',
  out: 'out_file',
  out_log: 'out_file',
  error: 'error_file',
  err: 'error_file',
  err_file: 'error_file',
  err_log: 'error_file',
  log: 'log_file',
  cron: 'cron_restart',
  interpreterArgs: 'interpreter_args',
  exec_interpreter: 'interpreter',
  exec: 'script',
};

/** Renames aliases to their keys; an alias given together with its key is a conflict, reported. */
export function canonicalKeys(raw: Record<string, unknown>, label: string, errors: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    const target = ALIASES[key];
    if (target === undefined) out[key] = value;
    else if (raw[target] !== undefined) errors.push(`${label}: "${key}" and "${target}" mean the same; keep one`);
    else out[target] = value;
  }
  return out;
}

/**
 * PM2 accepts a command line as the script ("npm run start", "node server.js"). sup splits it into
 * program and arguments instead of handing it to a shell; "node x.js" keeps x.js as a Node script.
 * A file whose name has spaces stays a file.
 */
export function splitCommandLine(
  script: string,
  args: readonly string[] | undefined,
  isFile: (script: string) => boolean,
): { script: string; args: string[] | undefined } {
  if (!/\s/.test(script.trim()) || isFile(script)) return { script, args: args ? [...args] : undefined };
  const [program, ...rest] = splitArgs(script);
  if (program === 'node' && rest[0] && !rest[0].startsWith('-')) return { script: rest[0], args: [...rest.slice(1), ...(args ?? [])] };
  return { script: program ?? script, args: [...rest, ...(args ?? [])] };
}

/** PM2's sections beside "apps" that are not sup's business: a warning each (other keys, such as YAML anchors, pass). */
export function topLevelWarnings(doc: Record<string, unknown>, source: string): string[] {
  return ['deploy', 'static']
    .filter((key) => key in doc)
    .map((key) => `${source}: "${key}" is a PM2 section outside sup's scope and is ignored`);
}

/**
 * PM2 keys sup refuses rather than ignores: ignoring them would run the app with more privileges than the
 * file asks for (sup runs every app as the user running sup).
 */
export const REFUSED: Readonly<Record<string, string>> = {
  uid: 'sup runs apps as the user running sup; start sup as that user instead',
  gid: 'sup runs apps with the group of the user running sup; start sup as that user instead',
  user: 'sup runs apps as the user running sup; start sup as that user instead',
};

/** PM2 keys outside a supervisor's job (deployment, PM2.io): ignored with a warning. */
export const OUT_OF_SCOPE = [
  'deploy',
  'pmx',
  'vizion',
  'automation',
  'post_update',
  'force',
  'filter_env',
  'append_env_to_name',
  'min_uptime_reset',
  'instance_id_env',
  'container',
  'dist',
  'docker',
  'trace',
  'disable_trace',
  'pid_file',
  'kill_retry_time',
  'windowsHide',
  'version',
  'watch_options',
  'pid',
  'shard',
] as const;
