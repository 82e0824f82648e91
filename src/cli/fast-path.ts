import { LIST_ALIASES } from './aliases.js';

/**
 * The commands scripts and prompts run most (`sup list`, `sup jlist`, `sup ping`) take no arguments
 * worth parsing; they skip loading yargs, which costs more than the rest of the command together.
 * Any other argv, including any extra flag, goes through the full parser.
 */
const FAST: Record<string, () => Promise<void>> = {
  list: async () => (await import('./commands/list.js')).run({ json: false }),
  'list --json': async () => (await import('./commands/list.js')).run({ json: true }),
  jlist: async () => (await import('./commands/list.js')).run({ json: true }),
  ping: async () => (await import('./commands/ping.js')).run(),
};
const ALIASES: Record<string, string> = Object.fromEntries(LIST_ALIASES.map((alias) => [alias, 'list']));

export function fastCommand(argv: readonly string[]): (() => Promise<void>) | undefined {
  const [command, ...rest] = argv;
  if (command === undefined) return undefined;
  return FAST[[ALIASES[command] ?? command, ...rest].join(' ')];
}
