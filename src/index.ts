/** sup's programmatic API: the same typed client the CLI uses. */
import { SupClient } from './client/client.js';
import { connectOrSpawn } from './client/spawn-daemon.js';
import { resolvePaths } from './paths.js';

export { SupClient } from './client/client.js';
export { SupError, type ErrorCode } from './errors.js';
export type { AppConfig } from './config/app-config.js';
export type * from './protocol/messages.js';

export interface ConnectOptions {
  /** SUP_HOME to use; defaults to $SUP_HOME or ~/.sup. */
  home?: string;
  /** Start the daemon if none is running (default true, as the CLI does). */
  spawn?: boolean;
}

export async function connect(options: ConnectOptions = {}): Promise<SupClient> {
  const paths = resolvePaths(options.home ? { ...process.env, SUP_HOME: options.home } : process.env);
  if (options.spawn === false) return SupClient.connect(paths.socket);
  return (await connectOrSpawn(paths)).client;
}
