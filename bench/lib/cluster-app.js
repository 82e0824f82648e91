import { get } from 'node:http';
import { waitFor } from './proc.js';
import { freePort } from './wrk.js';

/**
 * Starts `script` under `tool` (sup or PM2) as an app of `instances` cluster instances sharing a free loopback port
 * (PORT in the app's env), and resolves with the port once all are online and it answers.
 */
export async function startClusterApp(tool, name, script, { instances = 2 } = {}) {
  const port = await freePort();
  const env = { PORT: String(port) };
  await tool.startApps([{ name, script, instances, exec_mode: 'cluster', env }], { env });
  const online = await tool.waitForStatus(name, 'online', 15_000);
  if (online.length !== instances || online.some((p) => p.mode !== 'cluster')) {
    throw new Error(`${tool.id}: ${name}: expected ${instances} cluster instances, got ${JSON.stringify(online)}`);
  }
  await waitFor(`${tool.id}: ${name} to answer on port ${port}`, () => answers(port), 10_000, 50);
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
