import { spawn } from 'node:child_process';
import { SUP_BIN } from '../harness/paths.js';
import { isAlive, killQuietly } from '../harness/proc.js';
import type { SupHome } from '../harness/sup-home.js';
import { waitFor } from '../harness/wait.js';

export interface WebProcess {
  pid: number;
  url: string;
  operatorUrl: string;
  viewerUrl: string;
  output: () => string;
  /** SIGTERM, then SIGKILL after a deadline; by pid. */
  stop(): Promise<void>;
}

/** `sup web --port 0` against this home, in the background; resolves once it printed its addresses. */
export async function startWeb(sup: SupHome, extra: string[] = []): Promise<WebProcess> {
  const child = spawn(process.execPath, [SUP_BIN, 'web', '--port', '0', ...extra], { env: sup.env(), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const pid = child.pid!;
  const stop = async () => {
    if (!isAlive(pid)) return;
    process.kill(pid, 'SIGTERM');
    try {
      await waitFor(`sup web (pid ${pid}) to exit`, () => !isAlive(pid), 10_000);
    } catch {
      killQuietly(pid);
    }
  };
  try {
    const urls = await waitFor(
      'sup web to print its addresses',
      () => {
        const op = /operator[^\n]*?(http:\/\/\S+)/.exec(out)?.[1];
        const ro = /read-only\)?:?\s+(http:\/\/\S+)/.exec(out)?.[1];
        return op && ro ? { op, ro } : undefined;
      },
      30_000,
      () => out,
    );
    const url = /dashboard on (http:\/\/\S+)/.exec(out)![1]!;
    return { pid, url, operatorUrl: urls.op, viewerUrl: urls.ro, output: () => out, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
