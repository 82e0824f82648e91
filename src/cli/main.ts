import yargs, { type Argv } from 'yargs';
import { appCommands } from './app-commands.js';
import { daemonCommands } from './daemon-commands.js';
import { examples } from './help-examples.js';
import { reportError } from './report-error.js';

function buildCli(argv: string[]): Argv {
  const base = examples(yargs(argv).scriptName('sup'), 'sup')
    .usage('$0 <command> [options]\n\nA process supervisor for Node.js apps.')
    .parserConfiguration({ 'populate--': true });
  return daemonCommands(appCommands(base))
    .completion('completion', 'print a shell completion script (bash, zsh)')
    .demandCommand(1, 'name a command; see `sup --help`')
    .strict()
    .version(false)
    .option('version', { alias: 'v', type: 'boolean', describe: 'show the version' })
    .help()
    .alias('help', 'h')
    .wrap(Math.min(110, process.stdout.columns || 80));
}

/** The CLI process: the one place where errors become a message and an exit code. */
export async function main(argv: string[]): Promise<void> {
  if (argv[0] === '--version' || argv[0] === '-v') {
    const { supVersion } = await import('../version.js');
    process.stdout.write(`${supVersion()}\n`);
    return;
  }
  try {
    await buildCli(argv)
      .fail((message, err) => {
        throw err ?? Object.assign(new Error(message), { usage: true });
      })
      .parseAsync();
  } catch (err) {
    reportError(err);
  }
}
