import { SupClient } from '../client/client.js';
import { connectOrSpawn } from '../client/spawn-daemon.js';
import type { SupPaths } from '../paths.js';
import type { ProcessInfo, SupEvent } from '../protocol/messages.js';

export interface LinkHandlers {
  connected(client: SupClient, processes: ProcessInfo[]): void;
  event(event: SupEvent): void;
  disconnected(reason: string): void;
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

  private async attach(client: SupClient): Promise<void> {
    this.client = client;
    void client.closed.then(() => this.lost('the daemon closed the connection'));
    await client.subscribe(['process', 'log', 'metrics'], (event) => this.on.event(event));
    const { processes } = await client.request('list', {});
    this.on.connected(client, processes);
  }

  private lost(reason: string): void {
    if (this.state === 'closed') return;
    this.client = undefined;
    this.on.disconnected(reason);
    this.scheduleRetry();
  }

  private scheduleRetry(): void {
    clearTimeout(this.retry);
    this.retry = setTimeout(() => {
      SupClient.connect(this.paths.socket, 2000)
        .then((client) => (this.state === 'closed' ? client.close() : this.attach(client)))
        .catch(() => this.scheduleRetry());
    }, RETRY_MS);
  }
}
