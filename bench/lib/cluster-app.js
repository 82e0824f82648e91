import { writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { join } from 'node:path';
import { waitFor } from './proc.js';
import { REPO } from './sup-home.js';
import { freePort } from './wrk.js';

/** The two shutdown styles of docs/cluster.md: server.close() on SIGTERM, and an app that drains by itself. */
export const NAIVE_APP = join(REPO, 'examples/http-naive.js');
export const DRAINING_APP = join(REPO, 'examples/http-draining.js');

/**
 * Starts `script` as an app of `instances` cluster instances sharing a free loopback port (PORT in the env of
 * `sup start`), and resolves with the port once all are online and it answers. With `config`, the app is started
 * from an ecosystem file with those keys (e.g. drain_http: false) instead of `sup start <script> -i N`.
 */
export async function startClusterApp(home, name, script, { instances = 2, config } = {}) {
  const port = await freePort();
  const env = { PORT: String(port) };
  if (config) {
    const file = join(home.dir, `${name}.ecosystem.json`);
    const app = { name, script, instances, exec_mode: 'cluster', ...config };
    writeFileSync(file, JSON.stringify({ apps: [app] }, null, 2));
    await home.sup(['start', file], { env });
  } else {
    await home.sup(['start', script, '--name', name, '-i', String(instances)], { env });
  }
  const online = await home.waitForStatus(name, 'online', 15_000);
  if (online.length !== instances || online.some((p) => p.mode !== 'cluster')) {
    throw new Error(`${name}: expected ${instances} cluster instances, got ${JSON.stringify(online)}`);
  }
  await waitFor(`${name} to answer on port ${port}`, () => answers(port), 10_000, 50);
  return port;
}

/** One GET without keep-alive (agent: false), so that no idle connection of ours is left for a drain to wait on. */
export function answers(port) {
  return new Promise((resolve) => {
    const req = get({ host: '127.0.0.1', port, path: '/', agent: false, timeout: 2000 }, (res) => {
      res.resume();
      res.once('end', () => resolve(res.statusCode === 200));
    });
    req.once('timeout', () => req.destroy());
    req.once('error', () => resolve(false));
  });
}
