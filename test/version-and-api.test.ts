import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { WebSocketServer } from 'ws';
import { afterEach, describe, expect } from 'vitest';
import { PROTOCOL_VERSION } from '../src/protocol/messages.js';
import { supVersion } from '../src/version.js';
import { fixture } from './harness/paths.js';
import { it } from './helpers/sup-test.js';

/** A stand-in daemon on the real socket path that greets with another version and answers every request. */
function fakeDaemon(socket: string, version: string, protocol?: number): Promise<Server> {
  const http = createServer();
  const wss = new WebSocketServer({ server: http });
  wss.on('connection', (ws) => {
    ws.send(JSON.stringify({ kind: 'hello', version, protocol, pid: 4242 }));
    ws.on('message', (data) => {
      const { id, type } = JSON.parse(data.toString());
      const result = type === 'ping' ? { pid: 4242, version, uptime: 1 } : type === 'kill' ? { stopped: 0 } : { processes: [] };
      ws.send(JSON.stringify({ kind: 'reply', id, ok: true, result }));
      if (type === 'kill') ws.close();
    });
  });
  return new Promise((resolve) => http.listen(socket, () => resolve(http)));
}

describe('version check and programmatic API', () => {
  let fake: Server | undefined;
  // Before the home's cleanup, which would otherwise ask the fake to stop.
  afterEach(async () => {
    await new Promise((r) => (fake ? fake.close(r) : r(undefined)));
    fake = undefined;
  });

  it('refuses to work with a daemon of another version, naming both and the way out', async ({ sup }) => {
    fake = await fakeDaemon(sup.socket, '0.0.0-older');
    const list = await sup.run(['list']);
    expect(list.code).toBe(1);
    expect(list.stderr.trim().split('\n')).toHaveLength(1);
    expect(list.stderr).toContain('daemon is version 0.0.0-older');
    expect(list.stderr).toContain('sup kill');

    // ping and kill still work across versions, so an old daemon can be inspected and replaced.
    expect((await sup.run(['ping'])).stdout).toContain('sup 0.0.0-older');
    expect(await sup.ok(['kill'])).toContain('stopped 0 instances');
  });

  it('notices a daemon of the same release speaking an older protocol', async ({ sup }) => {
    fake = await fakeDaemon(sup.socket, supVersion(), PROTOCOL_VERSION - 1);
    const list = await sup.run(['list']);
    expect(list.code).toBe(1);
    expect(list.stderr).toContain(`(protocol ${PROTOCOL_VERSION - 1})`);
    expect(list.stderr).toContain('sup kill');
  });

  it("exposes the CLI's typed client as the package API (import { connect } from 'sup')", async ({ sup }) => {
    await sup.ok(['start', fixture('forever.js'), '--name', 'api-test']);
    const script = `
      import { connect } from 'sup';
      const client = await connect({ spawn: false });
      const { processes } = await client.request('list', {});
      console.log(JSON.stringify(processes.map((p) => [p.name, p.status])));
      client.close();
    `;
    const out = await new Promise<string>((resolve, reject) => {
      const child = spawn(process.execPath, ['--input-type=module', '-e', script], { env: sup.env(), stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      child.on('close', (code) => (code === 0 ? resolve(stdout) : reject(new Error(`exit ${code}: ${stderr}`))));
    });
    expect(JSON.parse(out)).toEqual([['api-test', 'online']]);
  });
});
