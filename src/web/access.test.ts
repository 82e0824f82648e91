import { describe, expect, it } from 'vitest';
import { allowedHosts, bearerToken, cookieValue, hostAllowed, originAllowed, roleOf } from './access.js';

const tokens = { operator: 'a'.repeat(64), viewer: 'b'.repeat(64) };

describe('web access', () => {
  it('grants operator to the daemon token, viewer to the web token, nothing to anything else', () => {
    expect(roleOf(tokens, 'a'.repeat(64))).toBe('operator');
    expect(roleOf(tokens, 'b'.repeat(64))).toBe('viewer');
    expect(roleOf(tokens, 'c'.repeat(64))).toBeNull();
    expect(roleOf(tokens, 'a')).toBeNull();
    expect(roleOf(tokens, undefined)).toBeNull();
  });

  it('reads a Bearer token and a cookie', () => {
    expect(bearerToken('Bearer abc')).toBe('abc');
    expect(bearerToken('bearer abc ')).toBe('abc');
    expect(bearerToken('Basic abc')).toBeUndefined();
    expect(cookieValue('x=1; sup_session=s3; y=2', 'sup_session')).toBe('s3');
    expect(cookieValue('xsup_session=s3', 'sup_session')).toBeUndefined();
  });

  it('answers only to its own host names (no DNS rebinding) and takes WebSockets only from its own pages', () => {
    const hosts = allowedHosts('127.0.0.1', 9615);
    expect(hostAllowed('127.0.0.1:9615', hosts)).toBe(true);
    expect(hostAllowed('localhost:9615', hosts)).toBe(true);
    expect(hostAllowed('evil.example:9615', hosts)).toBe(false);
    expect(hostAllowed('127.0.0.1:9616', hosts)).toBe(false);
    expect(hostAllowed(undefined, hosts)).toBe(false);
    expect(originAllowed('http://127.0.0.1:9615', hosts)).toBe(true);
    expect(originAllowed('http://evil.example', hosts)).toBe(false);
    expect(originAllowed('http://127.0.0.1:9615.evil.example', hosts)).toBe(false);
    expect(originAllowed('https://127.0.0.1:9615', hosts)).toBe(false);
    expect(originAllowed('null', hosts)).toBe(false);
    expect(originAllowed(undefined, hosts)).toBe(false);
    expect([...allowedHosts('10.0.0.5', 80)]).toEqual(['10.0.0.5:80']);
    const wild = allowedHosts('0.0.0.0', 80, { hostname: 'Box', addresses: ['10.0.0.5', 'fe80::1'] });
    expect([...wild].sort()).toEqual(['0.0.0.0:80', '10.0.0.5:80', '127.0.0.1:80', '[::1]:80', '[fe80::1]:80', 'box:80', 'localhost:80']);
  });
});
