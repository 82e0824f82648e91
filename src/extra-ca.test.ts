import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extraCaOption, movesExtraCa, withExtraCaMoved, withExtraCaRestored } from './extra-ca.js';

const CERT = join(import.meta.dirname, '../test/fixtures/tls/cert.pem');

describe('NODE_EXTRA_CA_CERTS in sup’s own processes', () => {
  it('is moved aside on Node 20 only, where Node parses it at every start', () => {
    const env = { NODE_EXTRA_CA_CERTS: '/etc/ssl/certs/ca-certificates.crt', PATH: '/bin' };
    expect(movesExtraCa(env, '20.19.0')).toBe(true);
    expect(movesExtraCa(env, '22.12.0')).toBe(false);
    expect(movesExtraCa(env, '24.1.0')).toBe(false);
    expect(movesExtraCa({ PATH: '/bin' }, '20.19.0')).toBe(false);
    expect(movesExtraCa({ NODE_EXTRA_CA_CERTS: '' }, '20.19.0')).toBe(false);
    // With OpenSSL's store the trusted set is not Node's list, which a request's own `ca` would replace it with.
    expect(movesExtraCa({ ...env, NODE_OPTIONS: '--use-openssl-ca' }, '20.19.0')).toBe(false);
  });

  it('is moved to SUP_EXTRA_CA_CERTS and back, the rest of the environment untouched', () => {
    const env = { NODE_EXTRA_CA_CERTS: '/ca.pem', PATH: '/bin' };
    const moved = withExtraCaMoved(env, '20.19.0');
    expect(moved).toEqual({ SUP_EXTRA_CA_CERTS: '/ca.pem', PATH: '/bin' });
    expect(withExtraCaRestored(moved)).toEqual(env);
    expect(withExtraCaMoved(env, '22.12.0')).toEqual(env);
    expect(withExtraCaRestored({ PATH: '/bin' })).toEqual({ PATH: '/bin' });
  });

  it('gives a request a context with the moved certificates, made once', () => {
    expect(extraCaOption({})).toEqual({});
    const first = extraCaOption({ SUP_EXTRA_CA_CERTS: CERT });
    expect(first.secureContext).toBeDefined();
    expect(extraCaOption({ SUP_EXTRA_CA_CERTS: CERT })).toBe(first);
    // As Node does with a file it cannot read: the default certificates only.
    expect(extraCaOption({ SUP_EXTRA_CA_CERTS: '/no/such/file.pem' })).toEqual({});
  });
});
