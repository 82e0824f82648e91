// SHA-1 (FIPS 180-4) for the one place the daemon needs it: the Sec-WebSocket-Accept of an upgrade (RFC 6455 §4.2.2),
// a handshake check, not a security measure. Written out so that the daemon never loads node:crypto (~0.45 MiB and a
// few ms of start-up; control/upgrade.ts). Checked against node:crypto in sha1.test.ts.

/** The 20-byte SHA-1 digest of `data`. */
export function sha1(data: Uint8Array): Buffer {
  // The message, a 1 bit, zeros, and its length in bits (64-bit big-endian), to a multiple of 64 bytes.
  const blocks = Math.ceil((data.length + 9) / 64);
  const padded = Buffer.alloc(blocks * 64);
  padded.set(data);
  padded[data.length] = 0x80;
  const bits = data.length * 8;
  padded.writeUInt32BE(Math.floor(bits / 2 ** 32), padded.length - 8);
  padded.writeUInt32BE(bits >>> 0, padded.length - 4);

  const h = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0];
  const w = new Uint32Array(80);
  for (let block = 0; block < blocks; block++) {
    for (let t = 0; t < 16; t++) w[t] = padded.readUInt32BE(block * 64 + t * 4);
    for (let t = 16; t < 80; t++) w[t] = rotl(w[t - 3]! ^ w[t - 8]! ^ w[t - 14]! ^ w[t - 16]!, 1);
    let [a, b, c, d, e] = h as [number, number, number, number, number];
    for (let t = 0; t < 80; t++) {
      const [f, k] =
        t < 20
          ? [(b & c) | (~b & d), 0x5a827999]
          : t < 40
            ? [b ^ c ^ d, 0x6ed9eba1]
            : t < 60
              ? [(b & c) | (b & d) | (c & d), 0x8f1bbcdc]
              : [b ^ c ^ d, 0xca62c1d6];
      const next = (rotl(a, 5) + f + e + k + w[t]!) >>> 0;
      e = d;
      d = c;
      c = rotl(b, 30);
      b = a;
      a = next;
    }
    h[0] = (h[0]! + a) >>> 0;
    h[1] = (h[1]! + b) >>> 0;
    h[2] = (h[2]! + c) >>> 0;
    h[3] = (h[3]! + d) >>> 0;
    h[4] = (h[4]! + e) >>> 0;
  }
  const digest = Buffer.alloc(20);
  h.forEach((word, i) => digest.writeUInt32BE(word, i * 4));
  return digest;
}

const rotl = (x: number, n: number): number => ((x << n) | (x >>> (32 - n))) >>> 0;
