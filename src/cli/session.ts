import type { SupClient } from '../client/client.js';
import { connectOrSpawn } from '../client/spawn-daemon.js';
import { resolvePaths } from '../paths.js';
import { renderProcessTable } from './render/process-table.js';
import { useColor } from './render/style.js';

/** Runs one command against the daemon (starting it if needed) and always closes the connection. */
export async function withDaemon<T>(run: (client: SupClient) => Promise<T>): Promise<T> {
  const { client, notice } = await connectOrSpawn(resolvePaths());
  if (notice) process.stderr.write(`${notice}\n`);
  try {
    return await run(client);
  } finally {
    client.close();
  }
}

/** The CLI's environment, the base of every app it starts (PM2 does the same). */
export function shellEnv(): Record<string, string> {
  return Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined));
}

let silent = false;

/** `-s`: nothing on stdout; warnings and errors still show. */
export function setSilent(): void {
  silent = true;
}

export function print(text: string): void {
  if (!silent) process.stdout.write(`${text}\n`);
}

export function warn(text: string): void {
  process.stderr.write(`sup: warning: ${text}\n`);
}

/** "web#0, web#1": how command output names the instances it acted on. */
export function labels(processes: readonly { name: string; id: number }[]): string {
  return processes.map((p) => `${p.name}#${p.id}`).join(', ');
}

/** After a change, commands show the whole table, as PM2 does. */
export async function printProcessTable(client: SupClient): Promise<void> {
  print(renderProcessTable((await client.request('list', {})).processes, useColor()));
}
