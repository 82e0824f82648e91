import { LineSplitter } from '../../logs/line-splitter.js';
import { open } from 'node:fs/promises';
import type { SupEvent } from '../../protocol/messages.js';
import { paint, useColor, type Color } from '../render/style.js';
import { expandTargets } from '../targets.js';
import { print, withDaemon } from '../session.js';

export interface LogsArgs {
  target: string;
  /** Several targets (`sup start --attach`); target is then ignored. */
  targets?: string[];
  lines: number;
  nostream: boolean;
  err: boolean;
  out: boolean;
  raw: boolean;
  json: boolean;
  timestamp: boolean;
}

interface Source {
  id: number;
  name: string;
  instance: number;
}

const PALETTE: Color[] = ['cyan', 'magenta', 'blue', 'yellow', 'green'];

/** Prints the last lines of each matching log file, then follows new output live over the socket. */
export async function run(args: LogsArgs): Promise<void> {
  const color = useColor() && !args.json;
  const streams = new Set<'out' | 'err'>(args.err && !args.out ? ['err'] : args.out && !args.err ? ['out'] : ['out', 'err']);
  const show = (source: Source, stream: 'out' | 'err', line: string, live: boolean) => {
    const at = live ? new Date().toISOString() : null;
    if (args.json) return print(JSON.stringify({ app: source.name, id: source.id, instance: source.instance, stream, line, at }));
    const time = args.timestamp && at ? `${paint(at, 'gray', color)} ` : '';
    const prefix = args.raw ? '' : `${paint(`${source.id}|${source.name}`, PALETTE[source.id % PALETTE.length]!, color)} | `;
    print(time + prefix + line);
  };
  await withDaemon(async (client) => {
    const { processes } = await client.request('describe', { targets: await expandTargets(args.targets ?? [args.target], 'logs') });
    // A file shared by instances (merge_logs) is shown once.
    const shown = new Set<string>();
    for (const p of processes) {
      for (const stream of streams) {
        const file = stream === 'out' ? p.logs.out : p.logs.err;
        if (shown.has(file)) continue;
        shown.add(file);
        if (!args.raw && !args.json) print(paint(`${file} (last ${args.lines} lines):`, 'gray', color));
        for (const line of await tailLines(file, args.lines)) show(p, stream, line, false);
      }
    }
    if (args.nostream) return;
    const ids = new Set(processes.map((p) => p.id));
    const everything = args.target === 'all' && !args.targets;
    const partial = new LineSplitter();
    await client.subscribe(['log', 'message'], (event: SupEvent) => {
      if (event.type === 'log-skipped') {
        if (args.json) print(JSON.stringify({ skipped: event.count }));
        else
          print(
            paint(
              `[sup] ${event.count} chunks of output skipped here: this reader fell behind (the log files have every line)`,
              'yellow',
              color,
            ),
          );
        return;
      }
      if ((event.type !== 'log' && event.type !== 'message') || (!everything && !ids.has(event.id))) return;
      if (event.type === 'message') return show(event, 'out', `message ${JSON.stringify(event.data)}`, true);
      if (!streams.has(event.stream)) return;
      // Print whole lines; a chunk may end mid-line, and its rest arrives with the next chunk.
      for (const line of partial.push(`${event.id}:${event.stream}`, event.data)) show(event, event.stream, line, true);
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
    let newlines = 0;
    const chunks: Buffer[] = [];
    while (position > 0 && newlines <= n) {
      const length = Math.min(block, position);
      position -= length;
      const buffer = Buffer.alloc(length);
      await handle.read(buffer, 0, length, position);
      chunks.unshift(buffer);
      for (const byte of buffer) if (byte === 0x0a) newlines++;
    }
    const lines = Buffer.concat(chunks).toString('utf8').split('\n');
    if (lines.at(-1) === '') lines.pop();
    return lines.slice(-n);
  } finally {
    await handle.close();
  }
}
