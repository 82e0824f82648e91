import { SupError } from '../../errors.js';
import { renderProcessTable } from '../render/process-table.js';
import { useColor } from '../render/style.js';
import { print, withDaemon } from '../session.js';

export type ListFormat = 'table' | 'json' | 'pm2-json' | 'pm2-pretty';

export interface ListArgs {
  format: ListFormat;
  /** `--sort name:desc`, as PM2's `ls --sort`. */
  sort?: string | undefined;
}

/**
 * `sup list` (a table), `sup list --json` (sup's flat records), and PM2's `jlist` and `prettylist` (PM2's shape,
 * JSON or as Node inspects it).
 */
export async function run(args: ListArgs): Promise<void> {
  await withDaemon(async (client) => {
    const { processes } = await client.request('list', {});
    if (args.format === 'table') return print(renderProcessTable(sortProcesses(processes, args.sort), useColor()));
    if (args.format === 'json') return print(JSON.stringify(processes));
    const described = processes.length > 0 ? (await client.request('describe', { targets: ['all'] })).processes : [];
    const { pm2Process } = await import('../render/pm2-shape.js');
    const list = described.map((p) => pm2Process(p));
    if (args.format === 'pm2-json') return print(JSON.stringify(list));
    const { inspect } = await import('node:util');
    print(inspect(list, false, null, false));
  });
}

const SORT_KEYS: Record<
  string,
  (p: {
    id: number;
    name: string;
    cpu: number | null;
    memory: number | null;
    uptime: number;
    restarts: number;
    status: string;
  }) => number | string
> = {
  id: (p) => p.id,
  name: (p) => p.name,
  cpu: (p) => p.cpu ?? 0,
  memory: (p) => p.memory ?? 0,
  uptime: (p) => p.uptime,
  restarts: (p) => p.restarts,
  status: (p) => p.status,
};

/** `name`, `memory:desc`...: PM2's sort fields (pm_id, restart and monit names read too). */
export function sortProcesses<T extends Parameters<(typeof SORT_KEYS)['id']>[0]>(processes: readonly T[], sort: string | undefined): T[] {
  if (!sort) return [...processes];
  const [field = 'id', order = 'asc'] = sort.split(':');
  const key = SORT_KEYS[{ pm_id: 'id', restart: 'restarts', mem: 'memory' }[field] ?? field];
  if (!key) throw new SupError('USAGE', `--sort takes ${Object.keys(SORT_KEYS).join(', ')} (with :asc or :desc), got "${sort}"`);
  const sign = order === 'desc' ? -1 : 1;
  return [...processes].sort((a, b) => {
    const [x, y] = [key(a), key(b)];
    return (x < y ? -1 : x > y ? 1 : 0) * sign;
  });
}
