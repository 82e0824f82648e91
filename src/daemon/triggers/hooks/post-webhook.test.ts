import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { postWebhook } from './post-webhook.js';

const once = { retries: 0, baseMs: 10, maxMs: 10 };

describe('postWebhook', () => {
  const servers: Server[] = [];
  afterEach(async () => {
    await Promise.all(
      servers.splice(0).map((s) => {
        s.closeAllConnections();
        return new Promise((r) => s.close(r));
      }),
    );
  });
  const receiver = async (handle: (req: IncomingMessage, res: ServerResponse) => void) => {
    const server = createServer(handle);
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  };
  const post = (url: string, timeoutMs = 5000, retry = once) =>
    postWebhook(url, '{"event":"crash"}', { timeoutMs, retry, cancelled: new AbortController().signal });

  it('POSTs the body as JSON and is done on a 2xx', async () => {
    let got = '';
    const url = await receiver((req, res) => {
      req.on('data', (d) => (got += d));
      req.on('end', () => res.writeHead(204).end());
    });
    expect(await post(url)).toEqual({ ok: true });
    expect(got).toBe('{"event":"crash"}');
  });

  it('gives up on a receiver that never answers, after its timeout', async () => {
    const url = await receiver(() => undefined);
    expect(await post(url, 300)).toEqual({ ok: false, error: 'no answer within 300 ms' });
  });

  it('says so when the connection is cut in the middle of the answer', async () => {
    const url = await receiver((_req, res) => {
      res.writeHead(200, { 'content-length': '100' });
      res.write('partial');
      setImmediate(() => res.socket?.destroy());
    });
    const outcome = await post(url);
    expect(outcome.ok).toBe(false);
  });

  it('does not follow a redirect: a 3xx is a failure not worth retrying', async () => {
    let hits = 0;
    const url = await receiver((_req, res) => {
      hits++;
      res.writeHead(301, { location: 'http://127.0.0.1:1/' }).end();
    });
    expect(await post(url, 5000, { retries: 2, baseMs: 10, maxMs: 10 })).toEqual({ ok: false, error: 'HTTP 301' });
    expect(hits).toBe(1);
  });

  it('retries a 5xx, then reports how many attempts it made', async () => {
    let hits = 0;
    const url = await receiver((_req, res) => {
      hits++;
      res.writeHead(503).end();
    });
    expect(await post(url, 5000, { retries: 2, baseMs: 10, maxMs: 10 })).toEqual({ ok: false, error: 'HTTP 503 (after 3 attempts)' });
    expect(hits).toBe(3);
  });
});
