import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { readToken, TOKEN_HEADER, tokenPath } from '../src/auth-token.js';
import { fixture } from './harness/paths.js';
import { RawClient, rawExchange, upgradeRequest } from './helpers/raw-socket.js';
import { it, TEST_ROOT } from './helpers/sup-test.js';

/** Only the owner commands the daemon: file modes, the token, no browsers, and a real second user. */

describe('access to the control socket', () => {
  it('keeps SUP_HOME 0700 and the socket and the token 0600', async ({ sup }) => {
    await sup.ok(['ping']);
    expect(statSync(sup.home).mode & 0o777).toBe(0o700);
    expect(statSync(sup.socket).mode & 0o777).toBe(0o600);
    expect(statSync(tokenPath(sup.socket)).mode & 0o777).toBe(0o600);
    expect(readFileSync(tokenPath(sup.socket), 'utf8')).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses a connection without the token, with a wrong one, and any with an Origin header (a browser)', async ({ sup }) => {
    await sup.ok(['ping']);
    const token = readToken(tokenPath(sup.socket))!;
    expect((await rawExchange(sup.socket, upgradeRequest([]))).data).toMatch(/^HTTP\/1\.1 401/);
    expect((await rawExchange(sup.socket, upgradeRequest([`${TOKEN_HEADER}: ${'0'.repeat(64)}`]))).data).toMatch(/^HTTP\/1\.1 401/);
    expect((await rawExchange(sup.socket, upgradeRequest([`${TOKEN_HEADER}: short`]))).data).toMatch(/^HTTP\/1\.1 401/);
    const fromPage = await rawExchange(sup.socket, upgradeRequest([`${TOKEN_HEADER}: ${token}`, 'Origin: http://evil.example']));
    expect(fromPage.data).toMatch(/^HTTP\/1\.1 403/);
    await expect(RawClient.open(sup.socket, {})).rejects.toThrow(/401/);
    // The owner's CLI, which reads the token, is served.
    expect(await sup.ok(['ping'])).toMatch(/pong|daemon/);
  });

  it('tells a client with the wrong token what is wrong, and changes nothing', async ({ sup }) => {
    await sup.ok(['start', fixture('forever.js'), '--name', 'app']);
    const before = await sup.list();
    const file = tokenPath(sup.socket);
    const token = readFileSync(file, 'utf8');
    chmodSync(file, 0o600);
    try {
      execFileSync('sh', ['-c', `printf %s ${'f'.repeat(64)} > '${file}'`]);
      const result = await sup.run(['stop', 'app']);
      expect(result.code).not.toBe(0);
      expect(result.stderr).toContain("refused this client's token");
    } finally {
      execFileSync('sh', ['-c', `printf %s ${token} > '${file}'`]);
    }
    expect((await sup.list()).map((p) => [p.id, p.pid, p.status])).toEqual(before.map((p) => [p.id, p.pid, p.status]));
  });
});

/** A second local user, created for the test (needs root and useradd, as on CI). */
const canAddUser = process.getuid?.() === 0 && spawnSync('sh', ['-c', 'command -v useradd && command -v userdel']).status === 0;

describe.skipIf(!canAddUser)('a second local user', () => {
  const user = `suptest${process.pid % 100000}`;
  let uid = 0;

  beforeAll(() => {
    spawnSync('userdel', [user]);
    execFileSync('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', user]);
    uid = Number(execFileSync('id', ['-u', user], { encoding: 'utf8' }).trim());
  });
  afterAll(() => {
    spawnSync('userdel', [user]);
  });

  /** Runs a small script as the other user: it tries, and reports what happened, as JSON. */
  function asOther(script: string, args: string[]): Record<string, string> {
    const out = execFileSync(process.execPath, ['-e', script, ...args], { uid, gid: uid, encoding: 'utf8', cwd: '/', timeout: 10_000 });
    return JSON.parse(out) as Record<string, string>;
  }

  const TRY = `
    const fs = require('fs'), net = require('net');
    const [socket, log, token] = process.argv.slice(1);
    const result = {};
    try { fs.readFileSync(log); result.log = 'read'; } catch (e) { result.log = e.code; }
    try { fs.readFileSync(token); result.token = 'read'; } catch (e) { result.token = e.code; }
    const s = net.connect(socket);
    s.on('connect', () => s.end('GET / HTTP/1.1\\r\\nHost: sup\\r\\nUpgrade: websocket\\r\\nConnection: Upgrade\\r\\nSec-WebSocket-Version: 13\\r\\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\\r\\n\\r\\n'));
    let data = '';
    s.on('data', (d) => (data += d));
    s.on('error', (e) => { result.socket = e.code; console.log(JSON.stringify(result)); });
    s.on('close', () => { if (!result.socket) { result.socket = data.split('\\r\\n')[0]; console.log(JSON.stringify(result)); } });
  `;

  it('cannot reach the socket, the logs or the token; list, start, stop and logs all go through the socket', async ({ sup }) => {
    await sup.ok(['start', fixture('log-echo.js'), '--name', 'app']);
    const [app] = await sup.waitForStatus('app', 'online');
    const log = join(sup.home, 'logs', 'app-out.log');
    const seen = asOther(TRY, [sup.socket, log, tokenPath(sup.socket)]);
    expect(seen).toEqual({ log: 'EACCES', token: 'EACCES', socket: 'EACCES' });
    expect((await sup.info('app')).pid).toBe(app!.pid);
  });

  it('with SUP_HOME opened up by mistake (0711, socket 0666), is still refused without the token', async ({ sup }) => {
    await sup.ok(['start', fixture('forever.js'), '--name', 'app']);
    const rootMode = statSync(TEST_ROOT).mode & 0o777;
    chmodSync(TEST_ROOT, 0o711);
    chmodSync(sup.home, 0o711);
    chmodSync(sup.socket, 0o666);
    try {
      const seen = asOther(TRY, [sup.socket, join(sup.home, 'logs', 'app-out.log'), tokenPath(sup.socket)]);
      expect(seen.token).toBe('EACCES');
      expect(seen.socket).toBe('HTTP/1.1 401 Unauthorized');
    } finally {
      chmodSync(sup.socket, 0o600);
      chmodSync(sup.home, 0o700);
      chmodSync(TEST_ROOT, rootMode);
    }
    expect((await sup.list()).map((p) => p.status)).toEqual(['online']);
  });
});
