import { SupError } from '../../errors.js';
import { resolvePaths } from '../../paths.js';
import { print, warn } from '../session.js';

export interface WebArgs {
  port: number;
  host: string;
  readOnly: boolean;
  metricsPublic: boolean;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

/** `sup web`: serves the dashboard and /metrics in the foreground until SIGINT or SIGTERM. */
export async function run(args: WebArgs): Promise<void> {
  if (!Number.isInteger(args.port) || args.port < 0 || args.port > 65535) {
    throw new SupError('USAGE', `--port must be a port number from 0 to 65535, got ${String(args.port)}`);
  }
  const { startWeb } = await import('../../web/web-main.js');
  if (!LOOPBACK.has(args.host)) {
    warn(
      `the dashboard listens on ${args.host}, not only this machine: anyone who can reach it sees the login page (use a TLS proxy in front)`,
    );
  }
  if (args.metricsPublic) warn('/metrics answers without a token (--metrics-public)');
  const web = await startWeb(resolvePaths(), { port: args.port, host: args.host, metricsPublic: args.metricsPublic });
  print(`sup web: dashboard on ${web.url}`);
  if (!args.readOnly) print(`  open (operator: sees and acts): ${web.operatorUrl}`);
  print(`  open (read-only):               ${web.viewerUrl}`);
  print(`  metrics: curl -H "Authorization: Bearer <token>" ${web.url}metrics`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  web.close();
}
