import { open } from 'node:fs/promises';
import type { ProcessDescription, SupEvent } from '../../protocol/messages.js';
import { paint, useColor, type Color } from '../render/style.js';
import { expandTargets } from '../targets.js';
import { print, withDaemon } from '../session.js';

export interface LogsArgs {
  target: string;
  lines: number;
  nostream: boolean;
  err: boolean;
  out: boolean;
  raw: boolean;
}

const PALETTE: Color[] = ['cyan', 'magenta', 'blue', 'yellow', 'green'];

/** Prints the last lines of each matching log file, then follows new output live over the socket. */
export async function run(args: LogsArgs): Promise<void> {
  const color = useColor();
  const streams = new Set<'out' | 'err'>(args.err && !args.out ? ['err'] : args.out && !args.err ? ['out'] : ['out', 'err']);
  await withDaemon(async (client) => {
    const { processes } = await client.request('describe', { targets: expandTargets([args.target]) });
    const prefix = (p: { id: number; name: string }) => (args.raw ? '' : `${paint(`${p.id}|${p.name}`, PALETTE[p.id % PALETTE.length]!, color)} | `);
    for (const p of processes) {
      for (const stream of streams) {
        const file = stream === 'out' ? p.logs.out : p.logs.err;
        if (!args.raw) print(paint(`${file} (last ${args.lines} lines):`, 'gray', color));
        for (const line of await tailLines(file, args.lines)) print(prefix(p) + line);
      }
    }
    if (args.nostream) return;
    const ids = new Set(processes.map((p: ProcessDescription) => p.id));
    const follow = args.target === 'all';
    const partial = new Map<string, string>();
    await client.subscribe(['log', 'message'], (event: SupEvent) => {
      if (event.type === 'message' && (follow || ids.has(event.id))) {
        print(`${prefix(event)}${paint('message', 'gray', color)} ${JSON.stringify(event.data)}`);
        return;
      }
      if (event.type !== 'log' || !streams.has(event.stream) || (!follow && !ids.has(event.id))) return;
      // Print whole lines; a chunk may end mid-line, and its rest arrives with the next chunk.
      const key = `${event.id}:${event.stream}`;
      const text = (partial.get(key) ?? '') + event.data;
      const lines = text.split('\n');
      partial.set(key, lines.pop()!);
      for (const line of lines) print(prefix(event) + line);
    });
    await client.closed;
  });
}

/** The last n lines of a file, reading backwards in blocks so that large logs cost little. */
export async function tailLines(path: string, n: number): Promise<string[]> {
  if (n <= 0) return [];
  let handle;
  try {
    handle = await open(path, 'r');
  } catch {
    return [];
  }
  try {
    const { size } = await handle.stat();
    const block = 64 * 1024;
    let position = size;
    let text = '';
    while (position > 0 && text.split('\n').length <= n + 1) {
      const length = Math.min(block, position);
      position -= length;
      const buffer = Buffer.alloc(length);
      await handle.read(buffer, 0, length, position);
      text = buffer.toString('utf8') + text;
    }
    const lines = text.split('\n');
    if (lines.at(-1) === '') lines.pop();
    return lines.slice(-n);
  } finally {
    await handle.close();
  }
}
