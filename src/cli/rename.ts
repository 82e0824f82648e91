import type { SupClient } from '../client/client.js';
import { print } from './session.js';

/**
 * `--name` on a restart, reload or start of one app (PM2's app-config-update): the app goes on under the new name.
 * Resolves with its ids, for the command that follows: a new name may be a number, which a target would read as an id.
 */
export async function renameOne(client: SupClient, target: string, name: string): Promise<string[]> {
  const { processes } = await client.request('rename', { target, name });
  const before = processes.length > 0 && target !== name ? target : undefined;
  if (before !== undefined) print(`renamed ${before} to ${name}`);
  // An app with no instance has no id to name it by: its exact name, which a number would not be.
  return processes.length > 0 ? processes.map((p) => String(p.id)) : [`/^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$/`];
}
