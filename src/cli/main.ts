import yargs, { type Argv } from 'yargs';
import { examples } from './help-examples.js';
import { reportError } from './report-error.js';

// Command modules load on demand so that `sup list` never pays for config validation or rendering it does not use.
const targets = (y: Argv) =>
  y.positional('targets', { type: 'string', array: true, describe: 'app names, ids, "all", or an ecosystem file' });

const restartOptions = <T>(y: Argv<T>) =>
  y
    .option('update-env', {
      type: 'boolean',
      default: false,
      describe: "use this shell's environment (and an ecosystem file's current config)",
    })
    .option('env', { type: 'string', describe: 'ecosystem files: merge env_<name> over env' })
    .option('only', { type: 'string', describe: 'ecosystem files: only these apps (comma-separated)' })
    .option('parallel', { type: 'number', default: 1, describe: 'reload: instances replaced at a time' });

const restartArgs = (a: {
  targets?: unknown;
  updateEnv: boolean;
  env?: string | undefined;
  only?: string | undefined;
  parallel: number;
}) => ({
  targets: a.targets as string[],
  updateEnv: a.updateEnv,
  env: a.env,
  only: a.only,
  parallel: a.parallel,
});

const startupOptions = <T>(y: Argv<T>) =>
  y
    .option('user', { alias: 'u', type: 'string', describe: 'the user sup runs as (default: you)' })
    .option('unit-dir', { type: 'string', default: '/etc/systemd/system', hidden: true });

function buildCli(argv: string[]): Argv {
  return examples(yargs(argv).scriptName('sup'), 'sup')
    .usage('$0 <command> [options]\n\nA process supervisor for Node.js apps.')
    .parserConfiguration({ 'populate--': true })
    .command(
      'start <target>',
      'start a script or an ecosystem file (or a stopped app by name or id)',
      (y) =>
        examples(
          y
            .positional('target', { type: 'string', demandOption: true, describe: 'script, ecosystem file, or app name/id' })
            .option('name', { alias: 'n', type: 'string', describe: 'app name (default: script name)' })
            .option('interpreter', { type: 'string', describe: 'node (default for .js), none (run directly), or a program' })
            .option('interpreter-args', { alias: 'node-args', type: 'string', describe: 'arguments for the interpreter' })
            .option('cwd', { type: 'string', describe: 'working directory of the app' })
            .option('instances', { alias: 'i', type: 'string', describe: 'number of instances, "max", or -1 for CPUs minus one' })
            .option('autorestart', { type: 'boolean', describe: 'restart when the app exits (--no-autorestart to disable)' })
            .option('max-restarts', { type: 'number', describe: 'unstable restarts in a row before errored (default 16)' })
            .option('min-uptime', { type: 'string', describe: 'a run shorter than this is unstable (default 1000 ms)' })
            .option('restart-delay', { type: 'string', describe: 'fixed delay before each restart' })
            .option('exp-backoff-restart-delay', { type: 'string', describe: 'first delay of an exponential backoff' })
            .option('kill-timeout', { type: 'string', describe: 'time between the stop signal and SIGKILL (default 1600 ms)' })
            .option('kill-signal', { type: 'string', describe: 'stop signal (default SIGTERM; PM2 sends SIGINT)' })
            .option('namespace', { type: 'string' })
            .option('output', { alias: 'o', type: 'string', describe: 'stdout log file' })
            .option('error', { alias: 'e', type: 'string', describe: 'stderr log file' })
            .option('merge-logs', { type: 'boolean', describe: 'one log file for all instances' })
            .option('max-memory-restart', { type: 'string', describe: 'restart over this RSS (whole tree), e.g. 200M' })
            .option('watch', { type: 'string', describe: 'restart on file changes: --watch (the cwd) or --watch src,lib' })
            .option('ignore-watch', { type: 'string', describe: 'comma-separated patterns not to watch' })
            .option('watch-delay', { type: 'string', describe: 'quiet time after a change before restarting (default 100 ms)' })
            .option('cron-restart', { alias: 'cron', type: 'string', describe: 'restart on a cron schedule, e.g. "0 3 * * *"' })
            .option('env', { type: 'string', describe: 'ecosystem files: merge env_<name> over env' })
            .option('only', { type: 'string', describe: 'ecosystem files: start only these apps (comma-separated)' })
            .option('force', { alias: 'f', type: 'boolean', default: false, describe: 'replace an app that already exists' }),
          'start',
        ),
      async (a) => {
        const { run } = await import('./commands/start.js');
        // yargs hands a lone "-" (stdin, as `pm2 start -`) over as an empty string.
        await run({
          ...a,
          target: a.target === '' ? '-' : a.target,
          force: a.force,
          args: ((a['--'] as string[] | undefined) ?? []).map(String),
        });
      },
    )
    .command(
      'stop <targets..>',
      'stop apps (the signal, then SIGKILL after kill_timeout, to the whole process tree)',
      (y) => examples(targets(y), 'stop'),
      async (a) => (await import('./commands/act.js')).run('stop', { targets: a.targets as string[] }),
    )
    .command(
      'restart <targets..>',
      'restart apps; an ecosystem file also starts its apps that are not running (startOrRestart)',
      (y) => examples(restartOptions(targets(y)), 'restart'),
      async (a) => (await import('./commands/restart.js')).run('restart', restartArgs(a)),
    )
    .command(
      'reload <targets..>',
      'replace cluster instances one by one without dropping a request (fork mode: restart)',
      (y) => examples(restartOptions(targets(y)), 'reload'),
      async (a) => (await import('./commands/restart.js')).run('reload', restartArgs(a)),
    )
    .command(
      'startOrRestart <file>',
      false,
      (y) => restartOptions(y.positional('file', { type: 'string', demandOption: true })),
      async (a) => (await import('./commands/restart.js')).run('restart', restartArgs({ ...a, targets: [a.file] })),
    )
    .command(
      ['startOrReload <file>', 'startOrGracefulReload'],
      false,
      (y) => restartOptions(y.positional('file', { type: 'string', demandOption: true })),
      async (a) => (await import('./commands/restart.js')).run('reload', restartArgs({ ...a, targets: [a.file] })),
    )
    .command(
      'scale <name> <count>',
      'set the number of instances: N, +N or -N',
      (y) =>
        examples(
          y.positional('name', { type: 'string', demandOption: true }).positional('count', { type: 'string', demandOption: true }),
          'scale',
        ),
      async (a) => (await import('./commands/scale.js')).run({ name: a.name, count: a.count }),
    )
    .command(
      ['signal <signal> <targets..>', 'sendSignal'],
      'send a signal to apps',
      (y) => examples(targets(y.positional('signal', { type: 'string', demandOption: true })), 'signal'),
      async (a) => (await import('./commands/signal.js')).run({ signal: String(a.signal), targets: a.targets as string[] }),
    )
    .command(
      'send <target> <json>',
      "send a JSON message to an app's process.on('message')",
      (y) =>
        examples(
          y.positional('target', { type: 'string', demandOption: true }).positional('json', { type: 'string', demandOption: true }),
          'send',
        ),
      async (a) => (await import('./commands/send.js')).run({ target: a.target, message: a.json }),
    )
    .command(
      ['delete <targets..>', 'del', 'rm'],
      'stop apps and remove them from sup',
      (y) => examples(targets(y), 'delete'),
      async (a) => (await import('./commands/act.js')).run('delete', { targets: a.targets as string[] }),
    )
    .command(
      'reset <targets..>',
      'reset restart counters',
      (y) => examples(targets(y), 'reset'),
      async (a) => (await import('./commands/act.js')).run('reset', { targets: a.targets as string[] }),
    )
    .command(
      ['list', 'ls', 'status', 'l'],
      'list apps',
      (y) => examples(y.option('json', { type: 'boolean', default: false, describe: 'a JSON array' }), 'list'),
      async (a) => (await import('./commands/list.js')).run({ json: a.json }),
    )
    .command('jlist', false, {}, async () => (await import('./commands/list.js')).run({ json: true }))
    .command(
      ['describe <target>', 'show', 'info'],
      'everything about an app',
      (y) =>
        examples(
          y.positional('target', { type: 'string', demandOption: true }).option('json', { type: 'boolean', default: false }),
          'describe',
        ),
      async (a) => (await import('./commands/describe.js')).run({ target: a.target, json: a.json }),
    )
    .command(
      'logs [target]',
      'print recent log lines, then follow new ones',
      (y) =>
        examples(
          y
            .positional('target', { type: 'string', default: 'all' })
            .option('lines', { type: 'number', default: 15, describe: 'lines of history per file' })
            .option('nostream', { type: 'boolean', default: false, describe: 'print history and exit' })
            .option('err', { type: 'boolean', default: false, describe: 'stderr only' })
            .option('out', { type: 'boolean', default: false, describe: 'stdout only' })
            .option('raw', { type: 'boolean', default: false, describe: 'lines without prefixes' })
            .option('json', { type: 'boolean', default: false, describe: 'one JSON object per line' })
            .option('timestamp', { type: 'boolean', default: false, describe: 'prefix live lines with the time they arrived' }),
          'logs',
        ),
      async (a) => (await import('./commands/logs.js')).run(a),
    )
    .command(
      'flush [targets..]',
      'empty the log files of apps (all apps by default)',
      (y) => examples(y.positional('targets', { type: 'string', array: true, default: [] }), 'flush'),
      async (a) => (await import('./commands/flush.js')).run({ targets: a.targets as string[] }),
    )
    .command(
      ['reload-logs', 'reloadLogs'],
      'reopen every log file (after an external logrotate renamed them)',
      (y) => examples(y, 'reload-logs'),
      async () => (await import('./commands/reload-logs.js')).run(),
    )
    .command(
      ['init [file]', 'ecosystem'],
      'write a commented ecosystem file for the app in this folder',
      (y) =>
        examples(
          y
            .positional('file', { type: 'string', describe: 'default: ecosystem.config.js' })
            .option('json', { type: 'boolean', default: false, describe: 'ecosystem.config.json, with the JSON Schema for editors' })
            .option('yaml', { type: 'boolean', default: false, describe: 'ecosystem.config.yaml' })
            .option('force', { type: 'boolean', default: false, describe: 'overwrite an existing file' }),
          'init',
        ),
      async (a) => (await import('./commands/init.js')).run({ file: a.file, json: a.json, yaml: a.yaml, force: a.force }),
    )
    .command('schema', false, {}, async () => {
      const { ecosystemJsonSchema } = await import('../config/json-schema.js');
      process.stdout.write(`${JSON.stringify(ecosystemJsonSchema(), null, 2)}\n`);
    })
    .command(
      ['monit', 'dash', 'dashboard'],
      'a live dashboard: processes, CPU and memory, logs; act with keys',
      (y) => examples(y, 'monit'),
      async () => (await import('./commands/monit.js')).run(),
    )
    .command(
      ['save', 'dump'],
      'remember the current apps: `sup resurrect` and the boot unit bring them back',
      (y) => examples(y.option('force', { type: 'boolean', default: false, describe: 'save even an empty list over a saved one' }), 'save'),
      async (a) => (await import('./commands/persist.js')).save({ force: a.force }),
    )
    .command(
      'resurrect',
      'bring back the apps of the last `sup save` (stopped ones stay stopped)',
      (y) => examples(y, 'resurrect'),
      async () => (await import('./commands/persist.js')).resurrect(),
    )
    .command(
      ['run <target>', 'runtime'],
      'run apps in the foreground, without a daemon (containers): output on stdout, SIGTERM stops them all',
      (y) =>
        examples(
          y
            .positional('target', { type: 'string', demandOption: true, describe: 'ecosystem file or script' })
            .option('name', { alias: 'n', type: 'string', describe: 'app name (default: script name)' })
            .option('instances', { alias: 'i', type: 'string', describe: 'number of instances, "max", or -1' })
            .option('interpreter', { type: 'string', describe: 'node (default for .js), none, or a program' })
            .option('env', { type: 'string', describe: 'ecosystem files: merge env_<name> over env' })
            .option('only', { type: 'string', describe: 'ecosystem files: only these apps (comma-separated)' }),
          'run',
        ),
      async (a) => {
        const { run } = await import('./commands/run.js');
        await run({ ...a, target: a.target, force: false, args: ((a['--'] as string[] | undefined) ?? []).map(String) });
      },
    )
    .command(
      'startup',
      'print the systemd unit that starts sup with the saved apps at boot (--install writes and enables it)',
      (y) =>
        examples(
          startupOptions(y).option('install', { type: 'boolean', default: false, describe: 'write the unit and enable it (as root)' }),
          'startup',
        ),
      async (a) => (await import('./commands/startup.js')).startup({ install: a.install, user: a.user, unitDir: a.unitDir }),
    )
    .command(
      'unstartup',
      'disable and remove the boot unit',
      (y) => examples(startupOptions(y), 'unstartup'),
      async (a) => (await import('./commands/startup.js')).unstartup({ install: true, user: a.user, unitDir: a.unitDir }),
    )
    .command(
      'update',
      'replace the running daemon with the installed sup, keeping every app',
      (y) => examples(y, 'update'),
      async () => (await import('./commands/update.js')).run(),
    )
    .command(
      'ping',
      'start the daemon if needed and check that it answers (--no-start: only check, for probes)',
      (y) => examples(y.option('start', { type: 'boolean', default: true, describe: 'start a daemon when none answers' }), 'ping'),
      async (a) => (await import('./commands/ping.js')).run({ start: a.start }),
    )
    .command(
      'kill',
      'stop every app and the daemon',
      (y) => examples(y, 'kill'),
      async () => (await import('./commands/kill.js')).run(),
    )
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
