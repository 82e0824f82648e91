import { SupError } from '../../errors.js';
import { expandTargets } from '../targets.js';
import { print, withDaemon } from '../session.js';

/** `sup pid [app]`: the pids, one a line (all apps without a target), as `pm2 pid`; a stopped instance prints 0. */
export async function pid(args: { target?: string | undefined }): Promise<void> {
  await withDaemon(async (client) => {
    const { processes } = await client.request('list', {});
    const picked =
      args.target === undefined ? processes : (await client.request('describe', { targets: await expandTargets([args.target]) })).processes;
    for (const p of picked) print(String(p.pid ?? 0));
  });
}

/** `sup id <name>`: the ids of an app's instances, as `pm2 id` prints them. */
export async function id(args: { name: string }): Promise<void> {
  await withDaemon(async (client) => {
    const { processes } = await client.request('list', {});
    const ids = processes.filter((p) => p.name === args.name).map((p) => p.id);
    print(`[ ${ids.join(', ')} ]`.replace('[  ]', '[]'));
  });
}

/** `sup env <id>`: the environment sup gives the instance (its app's env and instance variable), `KEY: value` a line. */
export async function env(args: { target: string }): Promise<void> {
  await withDaemon(async (client) => {
    const { processes } = await client.request('describe', { targets: await expandTargets([args.target]) });
    const first = processes[0];
    if (!first) throw new SupError('NOT_FOUND', `no process "${args.target}"`);
    const vars = { ...first.config.env, [first.config.instance_var]: String(first.instance) };
    for (const [key, value] of Object.entries(vars)) print(`${key}: ${value}`);
  });
}
