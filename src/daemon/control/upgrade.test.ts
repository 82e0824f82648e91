import { describe, expect, it } from 'vitest';
import { decideUpgrade, MAX_HEAD_BYTES, refusal } from './upgrade.js';

const rules = { tokenHeader: 'x-sup-token', tokenOk: (t: string | undefined) => t === 'secret' };
const KEY = 'dGhlIHNhbXBsZSBub25jZQ==';
const request = (...headers: string[]) => Buffer.from(['GET / HTTP/1.1', 'Host: sup', ...headers, '', ''].join('\r\n'));
const upgrade = (...extra: string[]) =>
  request('Upgrade: websocket', 'Connection: Upgrade', 'Sec-WebSocket-Version: 13', `Sec-WebSocket-Key: ${KEY}`, ...extra);

describe('the control socket upgrade', () => {
  it("accepts a WebSocket upgrade with the token, answering RFC 6455's example accept value", () => {
    const decision = decideUpgrade(Buffer.concat([upgrade('X-Sup-Token: secret'), Buffer.from([0x81])]), rules);
    expect(decision.kind).toBe('accept');
    if (decision.kind !== 'accept') return;
    expect(decision.response).toMatch(/^HTTP\/1\.1 101 .*\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK\+xOo=\r\n\r\n$/s);
    // Bytes after the head are the first frames.
    expect([...decision.rest]).toEqual([0x81]);
  });

  it('refuses plain HTTP (426), a bad key or version (400), a browser (403) and a missing or wrong token (401)', () => {
    const status = (bytes: Buffer) => {
      const d = decideUpgrade(bytes, rules);
      return d.kind === 'refuse' ? d.status : d.kind;
    };
    expect(status(request('Connection: close'))).toBe(426);
    expect(status(Buffer.from(upgrade('X-Sup-Token: secret').toString().replace(KEY, 'nope')))).toBe(400);
    expect(status(Buffer.from(upgrade('X-Sup-Token: secret').toString().replace('Version: 13', 'Version: 8')))).toBe(400);
    expect(status(upgrade('X-Sup-Token: secret', 'Origin: http://evil.example'))).toBe(403);
    expect(status(upgrade())).toBe(401);
    expect(status(upgrade('X-Sup-Token: wrong'))).toBe(401);
  });

  it('waits for a head still arriving, and drops what cannot be HTTP at once', () => {
    const whole = upgrade('X-Sup-Token: secret');
    for (const cut of [0, 3, 4, 20, whole.length - 2]) expect(decideUpgrade(whole.subarray(0, cut), rules).kind).toBe('incomplete');
    expect(decideUpgrade(Buffer.from([0, 1, 2, 3]), rules).kind).toBe('drop');
    expect(decideUpgrade(Buffer.from('get / http/1.1\r\n'), rules).kind).toBe('drop');
    // Only a GET can be an upgrade: another method, or a lone letter that cannot begin one, is dropped at once.
    expect(decideUpgrade(Buffer.from('POST / HTTP/1.1\r\n\r\n'), rules).kind).toBe('drop');
    expect(decideUpgrade(Buffer.from('Z'), rules).kind).toBe('drop');
    expect(decideUpgrade(Buffer.from('GE'), rules).kind).toBe('incomplete');
    expect(decideUpgrade(request('this is not a header'), rules).kind).toBe('drop');
    expect(decideUpgrade(Buffer.from(`GET / HTTP/1.1\r\nX: ${'a'.repeat(MAX_HEAD_BYTES)}`), rules).kind).toBe('drop');
  });

  it('writes a refusal as a complete HTTP answer', () => {
    expect(refusal(401, 'no')).toBe(
      'HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: 3\r\n\r\nno\n',
    );
  });
});
