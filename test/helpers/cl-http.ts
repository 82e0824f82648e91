import { existsSync, readFileSync } from 'node:fs';
import { get } from '../harness/http.js';

/** Sends `requests` GETs, each on a new connection (so that the cluster's round-robin spreads them), and returns the bodies. */
export async function bodies(port: number, requests: number): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < requests; i++) {
    const reply = await get(port);
    if (reply.status !== 200) throw new Error(`HTTP ${reply.status} from port ${port}: ${reply.body}`);
    out.push(reply.body.trim());
  }
  return out;
}

/** The pids that answer on the port (the first word of http.js's and ipc.js's answers). */
export async function answeringPids(port: number, requests: number): Promise<Set<number>> {
  return new Set((await bodies(port, requests)).map((b) => Number(b.split(' ')[0])));
}

export interface Recorded {
  pid: number;
  signal?: string;
  message?: unknown;
}

/** The JSON lines that ipc.js appends to its RECORD_FILE. */
export function readRecord(path: string): Recorded[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Recorded);
}
