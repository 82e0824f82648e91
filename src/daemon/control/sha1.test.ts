import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sha1 } from './sha1.js';

describe('sha1', () => {
  it('gives the digests of FIPS 180-4 and RFC 6455', () => {
    expect(sha1(Buffer.from('abc')).toString('hex')).toBe('a9993e364706816aba3e25717850c26c9cd0d89d');
    expect(sha1(Buffer.alloc(0)).toString('hex')).toBe('da39a3ee5e6b4b0d3255bfef95601890afd80709');
    // RFC 6455 §1.3: the key of its example handshake and the accept it gives.
    const accept = sha1(Buffer.from('dGhlIHNhbXBsZSBub25jZQ==258EAFA5-E914-47DA-95CA-C5AB0DC85B11')).toString('base64');
    expect(accept).toBe('s3pPLMBiTxaQ9kYGzzhZRbK+xOo=');
  });

  it('agrees with node:crypto at every length around the block and padding edges', () => {
    for (let length = 0; length <= 200; length++) {
      const data = Buffer.from(Array.from({ length }, (_, i) => (i * 31 + length) & 255));
      expect(sha1(data).toString('hex'), `${length} bytes`).toBe(createHash('sha1').update(data).digest('hex'));
    }
  });
});
