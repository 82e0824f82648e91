import type { Argv } from 'yargs';

/** Commands PM2 users type that read what sup runs: pid, id, env, attach, report. */
export function pm2Commands(y: Argv): Argv {
  return y
    .command(
      'pid [target]',
      'print the pids of an app (of every app without one)',
      (y) => y.positional('target', { type: 'string' }),
      async (a) => (await import('./commands/inspect.js')).pid({ target: a.target }),
    )
    .command(
      'id <name>',
      "print the ids of an app's instances",
      (y) => y.positional('name', { type: 'string', demandOption: true }),
      async (a) => (await import('./commands/inspect.js')).id({ name: a.name }),
    )
    .command(
      'env <target>',
      'print the environment sup gives an instance',
      (y) => y.positional('target', { type: 'string', demandOption: true }),
      async (a) => (await import('./commands/inspect.js')).env({ target: a.target }),
    )
    .command(
      'attach <target>',
      "follow an app's output and type lines to its stdin",
      (y) => y.positional('target', { type: 'string', demandOption: true }),
      async (a) => (await import('./commands/attach.js')).run({ target: a.target }),
    )
    .command('report', 'print what a bug report needs: versions, machine, daemon, apps, the end of daemon.log', {}, async () =>
      (await import('./commands/report.js')).run(),
    );
}
