import type { LineSink } from './line-formatter.js';

const NEWLINE = 0x0a;
// A line that never ends is not held forever: past this, what is held becomes one object and the rest follows in the next.
const MAX_HELD_BYTES = 1024 * 1024;
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Who wrote the lines: PM2's field names for `log_type: "json"`. */
export interface JsonLineSource {
  app_name: string;
  process_id: number;
  type: 'out' | 'err';
}

/**
 * `log_type: "json"`: each line of a source becomes one JSON object
 * `{"message", "timestamp", "type", "process_id", "app_name"}` (PM2's names), always whole lines, so a file
 * shared by instances never interleaves. Nothing is lost: a line that is itself a JSON object is spliced in
 * verbatim as `message` (not re-encoded, not re-parsed into other bytes); bytes that are not UTF-8 are kept as
 * base64 with `"encoding": "base64"`.
 */
export class JsonLineFormatter implements LineSink {
  private held: Buffer[] = [];
  private heldBytes = 0;

  constructor(
    private readonly source: JsonLineSource,
    private readonly timestamp: () => string,
    /** Unused: JSON lines are always whole; present so that the app's log routing can treat every formatter alike. */
    public shared: boolean,
  ) {}

  push(chunk: Buffer): Buffer[] {
    const out: Buffer[] = [];
    let start = 0;
    for (let nl = chunk.indexOf(NEWLINE); nl !== -1; nl = chunk.indexOf(NEWLINE, start)) {
      this.held.push(chunk.subarray(start, nl));
      out.push(this.object(this.take()));
      start = nl + 1;
    }
    if (start < chunk.length) {
      this.held.push(chunk.subarray(start));
      this.heldBytes += chunk.length - start;
      if (this.heldBytes > MAX_HELD_BYTES) out.push(this.object(this.take()));
    }
    return out;
  }

  end(): Buffer[] {
    return this.held.length === 0 ? [] : [this.object(this.take())];
  }

  private take(): Buffer {
    const line = Buffer.concat(this.held);
    this.held = [];
    this.heldBytes = 0;
    return line;
  }

  private object(line: Buffer): Buffer {
    const { app_name, process_id, type } = this.source;
    const tail = `,"timestamp":${JSON.stringify(this.timestamp())},"type":"${type}","process_id":${process_id},"app_name":${JSON.stringify(app_name)}}\n`;
    return Buffer.from(`{"message":${encodeMessage(line)}${tail}`);
  }
}

/** The message as JSON text: the app's own JSON object as it printed it, else a string; non-UTF-8 as base64. */
export function encodeMessage(line: Buffer): string {
  let text: string;
  try {
    text = strictUtf8.decode(line);
  } catch {
    return `${JSON.stringify(line.toString('base64'))},"encoding":"base64"`;
  }
  // Spliced only when the line is exactly one object, with no space around it: otherwise its bytes would change.
  if (text.startsWith('{') && text.endsWith('}') && isJson(text)) return text;
  return JSON.stringify(text);
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
