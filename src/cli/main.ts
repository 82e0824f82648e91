import yargs, { type Argv } from 'yargs';
import { appCommands } from './app-commands.js';
import { daemonCommands } from './daemon-commands.js';
import { examples } from './help-examples.js';
import { GLOBAL_FLAGS, IGNORED_FLAGS } from './options.js';
import { pm2Commands } from './pm2-commands.js';
import { reportError } from './report-error.js';
import { setSilent, warn } from './session.js';

function buildCli(argv: string[]): Argv {
  // English, as every other message of sup's: the bundle carries yargs' English strings only.
  const base = examples(yargs(argv).scriptName('sup').locale('en'), 'sup')
    .usage('$0 <command> [options]\n\nA process supervisor for Node.js apps.')
    .parserConfiguration({ 'populate--': true });
  return pm2Commands(daemonCommands(appCommands(base)))
    .options(IGNORED_FLAGS)
    .options(GLOBAL_FLAGS)
    .middleware(applyGlobalFlags)
    .completion('completion', 'print a shell completion script (bash, zsh)')
    .demandCommand(1, 'name a command; see `sup --help`')
    .strict()
    .version(false)
    .option('version', { alias: 'v', type: 'boolean', describe: 'show the version' })
    .help()
    .alias('help', 'h')
    .wrap(Math.min(110, process.stdout.columns || 80));
}

/** PM2's global flags: -s and --no-color act; the ones sup has no use for get one warning each. */
function applyGlobalFlags(a: Record<string, unknown>): void {
  for (const flag of Object.keys(IGNORED_FLAGS)) {
    if (a[flag] !== undefined) warn(`--${a[flag] === false ? 'no-' : ''}${flag} is a PM2 flag sup ignores (see docs/pm2-migration.md)`);
  }
  if (a.silent) setSilent();
  if (a.color === false) process.env.NO_COLOR = '1';
}

/** The CLI process: the one place where errors become a message and an exit code. */
export async function main(argv: string[]): Promise<void> {
  if (argv[0] === '--version' || argv[0] === '-v') {
    const { supVersion } = await import('../version.js');
    process.stdout.write(`${supVersion()}\n`);
    return;
  }
  try {
    // yargs drops a lone "-" (`cat app.json | sup start -`); /dev/stdin means the same and survives it.
    const end = argv.indexOf('--') === -1 ? argv.length : argv.indexOf('--');
    const cli = buildCli(argv.map((arg, i) => (arg === '-' && i < end ? '/dev/stdin' : arg)));
    skipHelpCache(cli);
    await cli
      .fail((message, err) => {
        throw err ?? Object.assign(new Error(message), { usage: true });
      })
      .parseAsync();
  } catch (err) {
    reportError(err);
  }
}

/**
 * yargs renders a command's whole help text before running it, only to keep it for a later showHelp, which sup never
 * calls (a failure is one line): about a tenth of a second of CPU for every `sup start`, with its many flags. `--help`
 * renders it when asked. Internal to yargs, so only where it is found.
 */
function skipHelpCache(cli: object): void {
  const internal = (cli as { getInternalMethods?: () => { getUsageInstance?: () => { cacheHelpMessage?: () => void } } })
    .getInternalMethods;
  const usage = internal?.call(cli).getUsageInstance?.();
  if (usage && typeof usage.cacheHelpMessage === 'function') usage.cacheHelpMessage = () => {};
}
