import type { Argv } from 'yargs';
import { LIST_ALIASES } from './aliases.js';
import { examples } from './help-examples.js';
import { APP_FLAGS, appArgs, FILE_FLAGS, RESTART_FLAGS, restartArgs, targets } from './options.js';

// Command modules load on demand so that `sup list` never pays for config validation or rendering it does not use.

/** The commands that act on apps: start, stop, restart, reload, scale, signal, send, delete, reset, list, describe, logs. */
export function appCommands(y: Argv): Argv {
  return y
    .command(
      'start [targets..]',
      'start scripts or ecosystem files (a running app restarts; -f starts another copy), or stopped apps by name or id',
      (y) =>
        examples(
          y
            .positional('targets', { type: 'string', array: true, describe: 'scripts, ecosystem files, app names/ids, or - (stdin)' })
            .options(APP_FLAGS)
            .options(FILE_FLAGS)
            .option('force', { alias: 'f', type: 'boolean', default: false, describe: 'start another copy of an app that runs already' })
            .option('replace', { type: 'boolean', default: false, describe: 'replace an app of the same name with this configuration' })
            .option('attach', { type: 'boolean', default: false, describe: "follow the apps' logs after the start" })
            .option('daemon', { type: 'boolean', default: true, describe: '--no-daemon: run in the foreground, as `sup run`' }),
          'start',
        ),
      async (a) =>
        (await import('./commands/start-command.js')).run({ ...a, targets: (a.targets as string[] | undefined) ?? [], args: appArgs(a) }),
    )
    .command(
      'stop <targets..>',
      'stop apps (the signal, then SIGKILL after kill_timeout, to the whole process tree)',
      (y) => examples(targets(y).option('only', FILE_FLAGS.only), 'stop'),
      async (a) => (await import('./commands/act.js')).run('stop', { targets: a.targets as string[], only: a.only as string | undefined }),
    )
    .command(
      'restart <targets..>',
      'restart apps; an ecosystem file also starts its apps that are not running (startOrRestart)',
      (y) => examples(targets(y).options(RESTART_FLAGS).options(APP_FLAGS), 'restart'),
      async (a) => (await import('./commands/restart.js')).run('restart', restartArgs(a)),
    )
    .command(
      'reload <targets..>',
      'replace cluster instances one by one without dropping a request (fork mode: restart)',
      (y) => examples(targets(y).options(RESTART_FLAGS).options(APP_FLAGS), 'reload'),
      async (a) => (await import('./commands/restart.js')).run('reload', restartArgs(a)),
    )
    .command(
      'startOrRestart <file>',
      false,
      (y) => y.positional('file', { type: 'string', demandOption: true }).options(RESTART_FLAGS),
      async (a) => (await import('./commands/restart.js')).run('restart', restartArgs({ ...a, targets: [a.file] })),
    )
    .command(
      ['startOrReload <file>', 'startOrGracefulReload'],
      false,
      (y) => y.positional('file', { type: 'string', demandOption: true }).options(RESTART_FLAGS),
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
      'send <target> <line..>',
      "write a line to the app's stdin (as pm2 send)",
      (y) =>
        examples(
          y
            .positional('target', { type: 'string', demandOption: true })
            .positional('line', { type: 'string', array: true, demandOption: true }),
          'send',
        ),
      async (a) => (await import('./commands/send.js')).send({ target: a.target, line: (a.line as unknown[]).map(String) }),
    )
    .command(
      'message <target> <json>',
      "send a JSON message to the app's process.on('message')",
      (y) =>
        examples(
          y.positional('target', { type: 'string', demandOption: true }).positional('json', { type: 'string', demandOption: true }),
          'message',
        ),
      async (a) => (await import('./commands/send.js')).message({ target: a.target, json: a.json }),
    )
    .command(
      'trigger <target> <action> [params]',
      'call an action the app registered, and print its reply',
      (y) =>
        examples(
          y
            .positional('target', { type: 'string', demandOption: true })
            .positional('action', { type: 'string', demandOption: true })
            .positional('params', { type: 'string' }),
          'trigger',
        ),
      async (a) => (await import('./commands/send.js')).trigger({ target: a.target, action: a.action, params: a.params }),
    )
    .command(
      ['delete <targets..>', 'del', 'rm'],
      'stop apps and remove them from sup',
      (y) => examples(targets(y).option('only', FILE_FLAGS.only), 'delete'),
      async (a) =>
        (await import('./commands/act.js')).run('delete', { targets: a.targets as string[], only: a.only as string | undefined }),
    )
    .command(
      'reset <targets..>',
      'reset restart counters',
      (y) => examples(targets(y).option('only', FILE_FLAGS.only), 'reset'),
      async (a) => (await import('./commands/act.js')).run('reset', { targets: a.targets as string[], only: a.only as string | undefined }),
    )
    .command(
      ['list', ...LIST_ALIASES],
      'list apps',
      (y) =>
        examples(
          y
            .option('json', { type: 'boolean', default: false, describe: "a JSON array of sup's records (`sup jlist`: PM2's shape)" })
            .option('sort', { type: 'string', describe: 'id, name, cpu, memory, uptime, restarts or status, with :desc' }),
          'list',
        ),
      async (a) => (await import('./commands/list.js')).run({ format: a.json ? 'json' : 'table', sort: a.sort }),
    )
    .command('jlist', "the list in PM2's JSON shape (pm2_env.status, restart_time, monit...)", {}, async () =>
      (await import('./commands/list.js')).run({ format: 'pm2-json' }),
    )
    .command('prettylist', "the list in PM2's shape, as PM2 prints it", {}, async () =>
      (await import('./commands/list.js')).run({ format: 'pm2-pretty' }),
    )
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
      'events [events..]',
      'follow what happens to apps (start, online, exit, crash, restart, errored, …) as it happens',
      (y) =>
        examples(
          y
            .positional('events', {
              type: 'string',
              array: true,
              default: [],
              describe: "event names (sup's or PM2's bus names); all by default",
            })
            .option('app', { type: 'string', describe: 'only this app' })
            .option('json', { type: 'boolean', default: false, describe: 'one JSON object per line (what hooks get)' }),
          'events',
        ),
      async (a) => (await import('./commands/events.js')).run({ events: a.events as string[], app: a.app, json: a.json }),
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
    );
}
