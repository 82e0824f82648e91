import type { Status } from '../../protocol/messages.js';

/** Colour only for a terminal that wants it: plain text when piped or with NO_COLOR. */
export function useColor(stream: NodeJS.WriteStream = process.stdout): boolean {
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') return false;
  if (process.env.FORCE_COLOR && process.env.FORCE_COLOR !== '0') return true;
  return stream.isTTY === true;
}

const CODES = { red: 31, green: 32, yellow: 33, blue: 34, magenta: 35, cyan: 36, gray: 90, bold: 1 } as const;
export type Color = keyof typeof CODES;

export function paint(text: string, color: Color, enabled: boolean): string {
  return enabled ? `\u001b[${CODES[color]}m${text}\u001b[${color === 'bold' ? 22 : 39}m` : text;
}

export const STATUS_COLOR: Record<Status, Color> = {
  launching: 'yellow',
  online: 'green',
  stopping: 'yellow',
  stopped: 'gray',
  'waiting-restart': 'yellow',
  errored: 'red',
  completed: 'green',
  failed: 'red',
};
