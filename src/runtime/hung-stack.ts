/** What the inspector's Debugger.paused gives of each frame, as far as a stack trace needs it. */
export interface PausedFrame {
  functionName: string;
  url: string;
  location: { scriptId: string; lineNumber: number; columnNumber?: number | undefined };
}

/** A stack in Node's own format (`    at fn (file:line:col)`), script URLs looked up by id when a frame has none. */
export function formatStack(frames: readonly PausedFrame[], scripts: ReadonlyMap<string, string>): string {
  return frames
    .map((f) => {
      const url = f.url || scripts.get(f.location.scriptId) || '<unknown>';
      return `    at ${f.functionName || '<anonymous>'} (${url}:${f.location.lineNumber + 1}:${(f.location.columnNumber ?? 0) + 1})`;
    })
    .join('\n');
}
