import { sha1 } from './sha1.js';

/** What to do with a connection's first bytes: wait for more, drop it, answer and close, or accept the WebSocket. */
export type UpgradeDecision =
  | { kind: 'incomplete' }
  | { kind: 'drop' }
  | { kind: 'refuse'; status: number; text: string }
  | { kind: 'accept'; response: string; rest: Buffer };

// An upgrade request is a few hundred bytes; more than this without its end is not one.
export const MAX_HEAD_BYTES = 8192;
const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
// A WebSocket upgrade is a GET: any other method is not one of sup's clients, and is dropped like garbage.
const REQUEST_LINE = /^GET \S+ HTTP\/1\.[01]$/;
const HEADER_LINE = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+):[ \t]*(.*?)[ \t]*$/;
// 16 random bytes in base64 (RFC 6455 §4.1).
const KEY = /^[+/0-9A-Za-z]{21}[AQgw]==$/;
const STATUS_TEXT: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 426: 'Upgrade Required' };

export interface UpgradeRules {
  tokenHeader: string;
  /** Whether the presented token (the header's value, if any) is the daemon's. */
  tokenOk(presented: string | undefined): boolean;
}

/**
 * The HTTP side of the control socket, decided from the bytes received so far: bytes that cannot be the start of an
 * HTTP request are dropped at once (no waiting for a head that will never end), plain HTTP is told to speak WebSocket,
 * a browser (it always sends Origin: a page must never drive the daemon) and anyone without the token are refused.
 */
export function decideUpgrade(received: Buffer, rules: UpgradeRules): UpgradeDecision {
  const end = received.indexOf('\r\n\r\n');
  const head = received.toString('latin1', 0, end < 0 ? Math.min(received.length, MAX_HEAD_BYTES + 1) : end);
  const lines = head.split('\r\n');
  if (end < 0) {
    // Only whole lines can be judged; the one still arriving must at least begin like a request line.
    const partial = lines.pop() ?? '';
    const plausible =
      received.length <= MAX_HEAD_BYTES &&
      lines.every((line, i) => (i === 0 ? REQUEST_LINE : HEADER_LINE).test(line)) &&
      (lines.length > 0 || 'GET '.startsWith(partial) || partial.startsWith('GET '));
    return plausible ? { kind: 'incomplete' } : { kind: 'drop' };
  }
  if (!REQUEST_LINE.test(lines[0] ?? '') || end > MAX_HEAD_BYTES) return { kind: 'drop' };
  const headers = new Map<string, string>();
  for (const line of lines.slice(1)) {
    const header = HEADER_LINE.exec(line);
    if (!header) return { kind: 'drop' };
    headers.set(header[1]!.toLowerCase(), header[2]!);
  }
  const refuse = (status: number, text: string): UpgradeDecision => ({ kind: 'refuse', status, text });
  const wantsWebSocket = headers.get('upgrade')?.toLowerCase() === 'websocket';
  if (!wantsWebSocket) return refuse(426, 'this is the sup control socket; speak WebSocket');
  const key = headers.get('sec-websocket-key') ?? '';
  if (headers.get('sec-websocket-version') !== '13' || !KEY.test(key)) {
    return refuse(400, 'a WebSocket upgrade needs Sec-WebSocket-Version: 13 and a Sec-WebSocket-Key');
  }
  if (headers.has('origin')) return refuse(403, 'browsers may not use the sup control socket');
  if (!rules.tokenOk(headers.get(rules.tokenHeader))) return refuse(401, 'a valid sup token is required');
  const accept = sha1(Buffer.from(key + GUID)).toString('base64');
  const response = `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`;
  return { kind: 'accept', response, rest: received.subarray(end + 4) };
}

/** An HTTP answer that ends the connection. */
export function refusal(status: number, text: string): string {
  const body = `${text}\n`;
  return `HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? 'Error'}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
}
