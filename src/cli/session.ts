import type { SupClient } from '../client/client.js';
import { connectOrSpawn } from '../client/spawn-daemon.js';
import { resolvePaths } from '../paths.js';

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

export function print(text: string): void {
  process.stdout.write(`${text}\n`);
}

export function warn(text: string): void {
  process.stderr.write(`sup: warning: ${text}\n`);
}
