import { SupClient } from '../client/client.js';
import { connectOrSpawn } from '../client/spawn-daemon.js';
import { isSupError } from '../errors.js';
import type { SupPaths } from '../paths.js';
import type { ProcessInfo, SupEvent } from '../protocol/messages.js';

export interface LinkHandlers {
  connected(client: SupClient, processes: ProcessInfo[]): void;
  event(event: SupEvent): void;
  /** `retrying`: false when retrying cannot help (another version of the daemon, or a refused token). */
  disconnected(reason: string, retrying: boolean): void;
}

const RETRY_MS = 1000;

/**
 * The dashboard's connection: the first one starts the daemon if needed, like every command; after a
 * loss it only reconnects (every second), so an open dashboard never undoes a `sup kill`.
 */
export class DaemonLink {
  private client: SupClient | undefined;
  private retry: NodeJS.Timeout | undefined;
  private state: 'running' | 'closed' = 'running';

  constructor(
    private readonly paths: SupPaths,
    private readonly on: LinkHandlers,
  ) {}

  /** The first connection; its failure is the caller's (nothing keeps retrying behind it). */
  async start(): Promise<void> {
    const { client } = await connectOrSpawn(this.paths);
    await this.attach(client);
  }

  /** The current connection, for requests; undefined while disconnected. */
  get current(): SupClient | undefined {
    return this.client;
  }

  close(): void {
    this.state = 'closed';
    clearTimeout(this.retry);
    this.client?.close();
  }

  /** Subscribes and reads the list; a connection that fails on the way is closed, not left open. */
  private async attach(client: SupClient): Promise<void> {
    try {
      await client.subscribe(['process', 'log', 'metrics'], (event) => this.on.event(event));
      const { processes } = await client.request('list', {});
      if (this.state === 'closed') return client.close();
      this.client = client;
      void client.closed.then(() => this.lost(client, 'the daemon closed the connection'));
      this.on.connected(client, processes);
    } catch (err) {
      client.close();
      throw err;
    }
  }

  private lost(client: SupClient, reason: string): void {
    if (this.state === 'closed' || this.client !== client) return;
    this.client = undefined;
    this.on.disconnected(reason, true);
    this.scheduleRetry();
  }

  private scheduleRetry(): void {
    clearTimeout(this.retry);
    if (this.state === 'closed') return;
    this.retry = setTimeout(() => {
      SupClient.connect(this.paths.socket, 2000)
        .then((client) => this.attach(client))
        .catch((err: unknown) => {
          if (isSupError(err) && (err.code === 'VERSION_MISMATCH' || err.code === 'UNAUTHORIZED')) {
            this.on.disconnected(err.message, false);
          } else {
            this.scheduleRetry();
          }
        });
    }, RETRY_MS);
  }
}
