import { existsSync } from 'node:fs';
import { SupError } from '../../errors.js';
import type { StartArgs } from './start.js';

export interface StartCommandArgs extends Omit<StartArgs, 'targets'> {
  targets: string[];
  attach: boolean;
  daemon: boolean;
}

/** The ecosystem file `sup start` takes without a target, as `pm2 start` does. */
const DEFAULT_FILES = [
  'ecosystem.config.js',
  'ecosystem.config.cjs',
  'ecosystem.config.mjs',
  'ecosystem.config.json',
  'ecosystem.config.yaml',
  'ecosystem.config.yml',
];

/** `sup start` as PM2's: the default file, `--no-daemon` in the foreground, `--attach` to the logs after. */
export async function run(args: StartCommandArgs): Promise<void> {
  // main hands a lone "-" (stdin, as `pm2 start -`) over as /dev/stdin.
  let targets = args.targets.map((t) => (t === '/dev/stdin' ? '-' : String(t)));
  if (targets.length === 0) {
    const found = DEFAULT_FILES.find((f) => existsSync(f));
    if (!found) throw new SupError('USAGE', `name a script or an ecosystem file; no ${DEFAULT_FILES[0]} here (\`sup init\` writes one)`);
    targets = [found];
  }
  if (!args.daemon) return (await import('./run.js')).run({ ...args, targets });
  const names = await (await import('./start.js')).run({ ...args, targets });
  if (args.attach) {
    const logs = {
      target: 'all',
      targets: names,
      lines: 0,
      nostream: false,
      err: false,
      out: false,
      raw: false,
      json: false,
      timestamp: false,
    };
    await (await import('./logs.js')).run(logs);
  }
}
