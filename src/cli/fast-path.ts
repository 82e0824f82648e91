import { LIST_ALIASES } from './aliases.js';

/**
 * The commands scripts and prompts run most (`sup list`, `sup jlist`, `sup ping`, `sup kill`, and stop, restart, reload, delete
 * or reset of apps named plainly) take no arguments worth parsing; they skip loading yargs, which costs more than the
 * rest of the command together. Any other argv, including any flag, goes through the full parser.
 */
const FAST: Record<string, () => Promise<void>> = {
  list: async () => (await import('./commands/list.js')).run({ format: 'table' }),
  'list --json': async () => (await import('./commands/list.js')).run({ format: 'json' }),
  jlist: async () => (await import('./commands/list.js')).run({ format: 'pm2-json' }),
  prettylist: async () => (await import('./commands/list.js')).run({ format: 'pm2-pretty' }),
  ping: async () => (await import('./commands/ping.js')).run(),
  kill: async () => (await import('./commands/kill.js')).run(),
};
const ALIASES: Record<string, string> = Object.fromEntries(LIST_ALIASES.map((alias) => [alias, 'list']));

/** Commands whose only arguments are targets. */
const TARGETED: Record<string, (targets: string[]) => Promise<void>> = {
  stop: async (targets) => (await import('./commands/act.js')).run('stop', { targets }),
  delete: async (targets) => (await import('./commands/act.js')).run('delete', { targets }),
  reset: async (targets) => (await import('./commands/act.js')).run('reset', { targets }),
  restart: async (targets) => (await import('./commands/restart.js')).run('restart', { targets, updateEnv: false, parallel: 1 }),
  reload: async (targets) => (await import('./commands/restart.js')).run('reload', { targets, updateEnv: false, parallel: 1 }),
};
const TARGETED_ALIASES: Record<string, string> = { del: 'delete', rm: 'delete' };

export function fastCommand(argv: readonly string[]): (() => Promise<void>) | undefined {
  const [command, ...rest] = argv;
  if (command === undefined) return undefined;
  const targeted = TARGETED[TARGETED_ALIASES[command] ?? command];
  if (targeted && rest.length > 0 && rest.every((a) => a !== '' && !a.startsWith('-'))) return () => targeted(rest);
  return FAST[[ALIASES[command] ?? command, ...rest].join(' ')];
}
