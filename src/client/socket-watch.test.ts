import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, it } from 'vitest';
import { SocketWatch } from './socket-watch.js';

describe('SocketWatch', () => {
  const dirs: string[] = [];
  const watches: SocketWatch[] = [];
  const servers: Server[] = [];
  afterEach(() => {
    for (const s of servers.splice(0)) s.close();
    for (const w of watches.splice(0)) w.close();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  const watchIn = (dir: string) => {
    const w = new SocketWatch(join(dir, 'sup.sock'));
    watches.push(w);
    return w;
  };

  it('wakes a waiter when the socket file appears, long before its pause ends', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sup-watch-'));
    dirs.push(dir);
    const watch = watchIn(dir);
    // Two waiters at once: both are woken.
    const waiting = [watch.next(60_000), watch.next(60_000)];
    writeFileSync(join(dir, 'daemon.log'), 'x');
    const server = createServer();
    servers.push(server);
    server.listen(join(dir, 'sup.sock'));
    // Within the test's 10 s, not the pause's 60.
    await Promise.all(waiting);
  }, 10_000);

  it('falls back to its pause where the folder cannot be watched', async () => {
    const watch = watchIn('/no/such/folder');
    await watch.next(20);
  });
});
