import type { WebSocket } from 'ws';
import type { SupClient } from '../client/client.js';
import { tailLines } from '../cli/commands/logs.js';
import type { SupEvent } from '../protocol/messages.js';
import { check } from '../protocol/shape.js';
import type { Role } from './access.js';
import { type FromBrowser, fromBrowserSchema, needsOperator, type ToBrowser } from './browser-protocol.js';

// A page that does not read is first spared log lines, then cut off, so that it never grows the server's memory.
const LOG_BUFFER_BYTES = 1024 * 1024;
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;
const TAIL_LINES = 50;
// A page's requests are handled one at a time; one that sends faster than the daemon answers is cut off.
const MAX_QUEUED = 32;

/** One page's WebSocket: what it receives (its log filter) and the requests it may make (its role, checked here). */
export class BrowserLink {
  private logsOf = 'all';
  private queue: Promise<void> = Promise.resolve();
  private queued = 0;

  constructor(
    private readonly ws: WebSocket,
    readonly role: Role,
    /** Still logged in: a session can expire while its page stays open. */
    private readonly valid: () => boolean,
    private readonly client: () => SupClient | undefined,
  ) {
    ws.on('message', (data, isBinary) => {
      if (++this.queued > MAX_QUEUED) return void ws.close(1008, 'too many requests at once');
      const text = isBinary ? '' : data.toString();
      this.queue = this.queue.then(() => this.receive(text)).finally(() => this.queued--);
    });
  }

  send(message: ToBrowser): void {
    if (this.ws.readyState !== this.ws.OPEN) return;
    if (this.ws.bufferedAmount > MAX_BUFFERED_BYTES) return void this.ws.terminate();
    this.ws.send(JSON.stringify(message));
  }

  /** An event from the daemon, if this page wants it. */
  event(event: SupEvent): void {
    if (event.type === 'log') {
      if (this.logsOf === 'none' || (this.logsOf !== 'all' && this.logsOf !== event.name)) return;
      if (this.ws.bufferedAmount > LOG_BUFFER_BYTES) return;
      return this.send(event);
    }
    if (event.type === 'process' || event.type === 'removed' || event.type === 'metrics' || event.type === 'log-skipped') this.send(event);
  }

  private async receive(text: string): Promise<void> {
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {} // not JSON: refused below like any other wrong shape
    const checked = check(fromBrowserSchema, data);
    if (!checked.ok) return this.ws.close(1008, 'not a sup dashboard message');
    const message = checked.value;
    if (!this.valid()) return this.ws.close(4401, 'session expired; log in again');
    const ref = 'ref' in message ? message.ref : 0;
    if (needsOperator(message) && this.role !== 'operator') {
      return this.send({ type: 'result', ref, ok: false, text: 'read-only: log in with the operator token to act' });
    }
    const client = this.client();
    if (!client) return this.send({ type: 'result', ref, ok: false, text: 'not connected to the sup daemon' });
    try {
      await this.handle(message, client);
    } catch (err) {
      this.send({ type: 'result', ref, ok: false, text: err instanceof Error ? err.message : String(err) });
    }
  }

  private async handle(message: FromBrowser, client: SupClient): Promise<void> {
    switch (message.type) {
      case 'action': {
        const targets = [String(message.id)];
        const { action } = message;
        if (action === 'reload') await client.request('reload', { targets, parallel: 1 });
        else if (action === 'start') await client.request('startExisting', { targets });
        else await client.request(action, { targets });
        return this.send({ type: 'result', ref: message.ref, ok: true, text: `${action}: done` });
      }
      case 'scale': {
        const { from, to } = await client.request('scale', { name: message.name, count: message.count });
        return this.send({ type: 'result', ref: message.ref, ok: true, text: `${message.name}: ${from} → ${to} instances` });
      }
      case 'history': {
        const h = await client.request('history', { id: message.id });
        return this.send({ type: 'history', ...h });
      }
      case 'logs': {
        this.logsOf = message.app;
        if (message.app === 'none') return;
        const { processes } = await client.request('describe', { targets: [message.app] });
        const lines: Extract<ToBrowser, { type: 'tail' }>['lines'] = [];
        const seen = new Set<string>();
        for (const p of processes) {
          for (const stream of ['out', 'err'] as const) {
            const file = p.logs[stream];
            if (seen.has(file)) continue;
            seen.add(file);
            for (const line of await tailLines(file, TAIL_LINES)) lines.push({ id: p.id, name: p.name, stream, line });
          }
        }
        return this.send({ type: 'tail', app: message.app, lines });
      }
    }
  }
}
