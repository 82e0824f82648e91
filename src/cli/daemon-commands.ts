import type { Argv } from 'yargs';
import { examples } from './help-examples.js';
import { APP_FLAGS, appArgs, FILE_FLAGS } from './options.js';

const startupOptions = <T>(y: Argv<T>) =>
  y
    .positional('platform', { type: 'string', describe: "systemd (PM2's distribution names mean the same)" })
    .option('user', { alias: 'u', type: 'string', describe: 'the user sup runs as (default: you)' })
    .option('service-name', { type: 'string', describe: 'the unit name (default sup-<user>)' })
    .option('hp', { type: 'string', describe: "the user's home folder (SUP_HOME is <hp>/.sup)" })
    .option('wait-ip', { type: 'boolean', hidden: true, describe: 'the unit waits for network-online.target already' })
    .option('unit-dir', { type: 'string', default: '/etc/systemd/system', hidden: true });

/** The commands about sup itself: files, the dashboard, persistence, containers, boot, the daemon. */
export function daemonCommands(y: Argv): Argv {
  return y
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
      'web',
      'a web dashboard and Prometheus /metrics on 127.0.0.1 (prints the address to open, with a login token)',
      (y) =>
        examples(
          y
            .option('port', { type: 'number', default: 9615, describe: 'port to listen on (0: any free one)' })
            .option('host', { type: 'string', default: '127.0.0.1', describe: 'address to listen on (another than loopback warns)' })
            .option('read-only', { type: 'boolean', default: false, describe: 'print only the read-only login address' })
            .option('metrics-public', { type: 'boolean', default: false, describe: '/metrics without a token' }),
          'web',
        ),
      async (a) =>
        (await import('./commands/web.js')).run({ port: a.port, host: a.host, readOnly: a.readOnly, metricsPublic: a.metricsPublic }),
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
            .options(APP_FLAGS)
            .options(FILE_FLAGS),
          'run',
        ),
      async (a) => {
        const { run } = await import('./commands/run.js');
        await run({ ...a, targets: [a.target], force: false, replace: false, args: appArgs(a) });
      },
    )
    .command(
      'startup [platform]',
      'print the systemd unit that starts sup with the saved apps at boot (--install writes and enables it)',
      (y) =>
        examples(
          startupOptions(y).option('install', { type: 'boolean', default: false, describe: 'write the unit and enable it (as root)' }),
          'startup',
        ),
      async (a) =>
        (await import('./commands/startup.js')).startup({
          install: a.install,
          user: a.user,
          unitDir: a.unitDir,
          platform: a.platform,
          serviceName: a.serviceName,
          hp: a.hp,
        }),
    )
    .command(
      'unstartup [platform]',
      'disable and remove the boot unit',
      (y) => examples(startupOptions(y), 'unstartup'),
      async (a) =>
        (await import('./commands/startup.js')).unstartup({
          install: true,
          user: a.user,
          unitDir: a.unitDir,
          platform: a.platform,
          serviceName: a.serviceName,
        }),
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
    );
}
