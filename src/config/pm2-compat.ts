import { basename } from 'node:path';
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
  user: 'uid',
};

// What only a shell can carry out, outside quotes: operators, redirections, expansions, globs, comments, several lines;
// inside double quotes: expansions. Quotes alone a split reads as a shell would.
const OUTSIDE_QUOTES = /[;&|<>$`(){}*?~#\\\n]/;
const INSIDE_DOUBLE = /[$`\\]/;

/** Whether a command line needs a shell: one pass, following single and double quotes as sh does. */
export function needsShell(line: string): boolean {
  if (/^\s*\w+=/.test(line)) return true; // FOO=1 node app.js
  let quote: "'" | '"' | null = null;
  for (const ch of line) {
    if (quote === "'") quote = ch === "'" ? null : quote;
    else if (quote === '"') {
      if (ch === '"') quote = null;
      else if (INSIDE_DOUBLE.test(ch)) return true;
    } else if (ch === "'" || ch === '"') quote = ch;
    else if (OUTSIDE_QUOTES.test(ch)) return true;
  }
  return quote !== null; // unbalanced: let the shell say so
}

/**
 * PM2 accepts a command line as the script ("npm run start", "node server.js") and hands it to `bash -c`. sup splits a
 * plain one into program and arguments, so that the app is the process sup signals and measures ("node x.js" keeps
 * x.js as a Node script); one that needs a shell (`a; b`, pipes, `$VAR`, redirections) runs under bash, as PM2 runs it (sh
 * where there is no bash), with the app's args as the shell's "$@". A file whose name has spaces stays a file.
 */
export function splitCommandLine(
  script: string,
  args: readonly string[] | undefined,
  isFile: (script: string) => boolean,
): { script: string; args: string[] | undefined; shell?: true } {
  if (!/\s/.test(script.trim()) || isFile(script)) return { script, args: args ? [...args] : undefined };
  if (needsShell(script)) {
    const shell = isFile('/bin/bash') ? '/bin/bash' : '/bin/sh';
    return { script: shell, args: ['-c', script, basename(shell), ...(args ?? [])], shell: true };
  }
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

const PM2_PLUS = 'PM2 Plus (pm2.io) monitoring; sup has no agent to inject and shows its own figures (`sup web`, /metrics)';

/**
 * PM2 keys that are valid in a PM2 file but mean nothing to sup: each is ignored with one warning that says what sup
 * does instead. A file carrying them still starts.
 */
export const OUT_OF_SCOPE: Readonly<Record<string, string>> = {
  deploy: 'deployment is outside a supervisor; sup runs what is deployed',
  pmx: PM2_PLUS,
  automation: PM2_PLUS,
  io: PM2_PLUS,
  v8: PM2_PLUS,
  event_loop_inspector: `${PM2_PLUS}; sup's watchdog key restarts a blocked event loop`,
  deep_monitoring: PM2_PLUS,
  trace: PM2_PLUS,
  disable_trace: PM2_PLUS,
  vizion: 'sup keeps no git metadata of apps',
  post_update: 'sup keeps no git metadata of apps',
  force: 'on the command line, `sup start -f` starts another copy',
  filter_env: 'the app gets the environment of the shell that starts it, with its own env over it',
  min_uptime_reset: 'min_uptime alone decides what an unstable run is',
  instance_id_env: "sup names each instance's variable with instance_var",
  container: 'for containers, `sup run` (or sup-runtime) runs the apps in the foreground',
  dist: 'PM2 deploy metadata',
  docker: 'for containers, `sup run` (or sup-runtime) runs the apps in the foreground',
  pid_file: 'sup writes no pid files; `sup pid <name>` prints them',
  pid: 'sup writes no pid files; `sup pid <name>` prints them',
  kill_retry_time: 'sup sends SIGKILL once, kill_timeout after the stop signal',
  windowsHide: 'a Windows setting',
  version: 'informational in PM2',
  watch_options: "sup's watching takes ignore_watch and watch_delay",
  shard: 'informational in PM2',
  username: 'sup runs every app as the user running sup',
  install_url: 'PM2 modules are outside sup',
  write: "`pm2 start -w` writes an app's config to a file; `sup describe --json` prints it",
};
