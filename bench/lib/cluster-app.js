import { answers, freePorts } from '../../test/harness/http.js';
import { waitFor } from '../../test/harness/wait.js';

/**
 * Starts `script` under `tool` (sup or PM2) as an app of `instances` cluster instances sharing a free loopback port
 * (PORT in the app's env), and resolves with the port once all are online and it answers.
 */
export async function startClusterApp(tool, name, script, { instances = 2 } = {}) {
  const port = await freePorts();
  const env = { PORT: String(port) };
  await tool.startApps([{ name, script, instances, exec_mode: 'cluster', env }], { env });
  const online = await tool.waitForStatus(name, 'online', 15_000);
  if (online.length !== instances || online.some((p) => p.mode !== 'cluster')) {
    throw new Error(`${tool.id}: ${name}: expected ${instances} cluster instances, got ${JSON.stringify(online)}`);
  }
  await waitFor(`${tool.id}: ${name} to answer on port ${port}`, () => answers(port), 10_000);
  return port;
}
