import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ensureToken, tokenMatches } from './auth-token-guard.js';

const dirs: string[] = [];
const scratch = () => {
  const dir = mkdtempSync(join(tmpdir(), 'sup-token-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('ensureToken', () => {
  it('refuses a token file others can read, and one that holds no token', () => {
    const path = join(scratch(), 'token');
    writeFileSync(path, 'a'.repeat(64), { mode: 0o644 });
    expect(() => ensureToken(path)).toThrow(/must be a file only you can read/);
    const bad = join(scratch(), 'token');
    writeFileSync(bad, 'not a token', { mode: 0o600 });
    expect(() => ensureToken(bad)).toThrow(/holds no valid token/);
  });

  it('creates 32 random bytes as hex, owner-only, and keeps them', () => {
    const path = join(scratch(), 'token');
    const token = ensureToken(path);
    expect(token).toMatch(/^[0-9a-f]{64}$/);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(ensureToken(path)).toBe(token);
    expect(ensureToken(join(scratch(), 'token'))).not.toBe(token);
  });
});

describe('tokenMatches', () => {
  it('takes the token and only the token', () => {
    const token = 'a'.repeat(63) + 'b';
    expect(tokenMatches(token, token)).toBe(true);
    expect(tokenMatches(token, 'a'.repeat(64))).toBe(false);
    expect(tokenMatches(token, `b${'a'.repeat(62)}b`)).toBe(false);
    expect(tokenMatches(token, token.slice(1))).toBe(false);
    expect(tokenMatches(token, undefined)).toBe(false);
    expect(tokenMatches(token, [token])).toBe(false);
    expect(tokenMatches(token, '')).toBe(false);
    // Same length, not ASCII (node:crypto's timingSafeEqual threw on the byte lengths differing).
    expect(tokenMatches(token, 'é'.repeat(64))).toBe(false);
  });
});
