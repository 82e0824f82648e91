import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Readable } from 'node:stream';
import { afterEach } from 'vitest';
import type { AppEvent } from '../../src/protocol/messages.js';
import { SUP_BIN } from '../harness/paths.js';
import { isAlive, killQuietly } from '../harness/proc.js';
import type { SupHome } from '../harness/sup-home.js';
import { waitFor } from '../harness/wait.js';

/** `sup events --json …` running in the background, each event it prints collected with the time it arrived. */
export class EventsFollower {
  readonly events: (AppEvent & { seenAt: number })[] = [];
  stderr = '';
  private partial = '';
  private readonly child: ChildProcessByStdio<null, Readable, Readable>;

  constructor(sup: SupHome, args: string[] = []) {
    this.child = spawn(process.execPath, [SUP_BIN, 'events', '--json', ...args], { env: sup.env(), stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stderr.on('data', (d: Buffer) => (this.stderr += d.toString()));
    this.child.stdout.on('data', (d: Buffer) => {
      const parts = (this.partial + d.toString()).split('\n');
      this.partial = parts.pop()!;
      for (const text of parts) this.events.push({ ...(JSON.parse(text) as AppEvent), seenAt: Date.now() });
    });
  }

  /** Resolves once it is subscribed (it says so on stderr): no event after this is missed. */
  subscribed(): Promise<true> {
    return waitFor(
      'sup events to subscribe',
      () => this.stderr.includes('following events'),
      20_000,
      () => this.stderr,
    );
  }

  /** "app event" of each event so far, in order. */
  get names(): string[] {
    return this.events.map((e) => `${e.app} ${e.event}`);
  }

  waitFor(what: string, predicate: (names: string[]) => boolean, timeoutMs = 30_000): Promise<true> {
    return waitFor(
      what,
      () => predicate(this.names),
      timeoutMs,
      () => ({ events: this.names, stderr: this.stderr }),
    );
  }

  async stop(): Promise<void> {
    const pid = this.child.pid!;
    if (!isAlive(pid)) return;
    killQuietly(pid);
    await waitFor('sup events to exit', () => !isAlive(pid), 15_000);
  }
}

/**
 * For a describe block: `follow(sup)` starts `sup events --json` against that home's daemon (started first) and
 * resolves once it is subscribed; every follower is stopped after each test, passed or failed.
 */
export function eventsFollowers(): (sup: SupHome, args?: string[]) => Promise<EventsFollower> {
  const followers: EventsFollower[] = [];
  afterEach(async () => {
    await Promise.all(followers.splice(0).map((f) => f.stop()));
  });
  return async (sup, args = []) => {
    await sup.ok(['ping']);
    const f = new EventsFollower(sup, args);
    followers.push(f);
    await f.subscribed();
    return f;
  };
}

/**
 * A webhook receiver on 127.0.0.1, over HTTPS when given a key and certificate: every POST's JSON body, answered with
 * `status`; other requests (a health check) get `status` only.
 */
export class Receiver {
  readonly bodies: (Record<string, unknown> & { receivedAt: number })[] = [];
  private readonly server: Server;
  status = 200;

  private constructor(private readonly tls?: { key: string; cert: string }) {
    const handle = (req: IncomingMessage, res: ServerResponse) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        if (req.method === 'POST') this.bodies.push({ ...(JSON.parse(body) as Record<string, unknown>), receivedAt: Date.now() });
        res.writeHead(this.status).end();
      });
    };
    this.server = tls ? createHttpsServer(tls, handle) : createServer(handle);
  }

  static async start(tls?: { key: string; cert: string }): Promise<Receiver> {
    const r = new Receiver(tls);
    await new Promise<void>((resolve) => r.server.listen(0, '127.0.0.1', resolve));
    return r;
  }

  get url(): string {
    return `${this.tls ? 'https' : 'http'}://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
