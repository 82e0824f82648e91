import { readFileSync } from 'node:fs';
import type { SecureContext } from 'node:tls';
import { SUP_ENV } from './env.js';

const NODE_VAR = 'NODE_EXTRA_CA_CERTS';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Node 20 reads and parses NODE_EXTRA_CA_CERTS as it starts, whether or not the process ever makes a TLS connection;
 * with a system bundle (~140 certificates, as CI and corporate machines set it) that is ~35 ms of every start and
 * ~1 MiB of memory (measured: `node -e 0` 103 → 67 ms). sup's daemon, keeper and watcher make TLS connections only
 * for https webhooks and health checks, so on such a Node they get the file under SUP_EXTRA_CA_CERTS instead and read
 * it at their first TLS request. Node 22 and later read it lazily themselves, and with --use-openssl-ca the trusted
 * set is OpenSSL's, which a request's `ca` cannot extend: then the variable passes on as it is.
 */
export function movesExtraCa(env: Env, nodeVersion: string = process.versions.node): boolean {
  const major = Number(nodeVersion.split('.')[0]);
  return Boolean(env[NODE_VAR]) && major < 22 && !(env.NODE_OPTIONS ?? '').includes('--use-openssl-ca');
}

/** The environment for one of sup's own processes: NODE_EXTRA_CA_CERTS moved aside where Node would parse it at start. */
export function withExtraCaMoved(env: NodeJS.ProcessEnv, nodeVersion?: string): NodeJS.ProcessEnv {
  if (!movesExtraCa(env, nodeVersion)) return env;
  const { [NODE_VAR]: file, ...rest } = env;
  return { ...rest, [SUP_ENV.extraCaCerts]: file };
}

/** The environment for a command sup runs for the user (a hook): NODE_EXTRA_CA_CERTS back where Node looks for it. */
export function withExtraCaRestored(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { [SUP_ENV.extraCaCerts]: file, ...rest } = env;
  return file ? { ...rest, [NODE_VAR]: file } : rest;
}

// One per file and process: a context made from ~140 certificates costs ~35 ms, so it is made at the first request only.
const contexts = new Map<string, { secureContext?: SecureContext }>();

/**
 * TLS options for a request sup's own process makes (a webhook, a health check): Node's trusted certificates and the
 * moved file's, as NODE_EXTRA_CA_CERTS would have made them; `{}` when nothing was moved. A file that cannot be read is
 * ignored, as Node ignores it (Node also warns; here the request then fails on the certificate if it needed it). On a
 * Node built to trust the system's store (--openssl-use-def-ca-store), Node's list is not what it trusts: rare enough.
 */
export function extraCaOption(env: Env = process.env): { secureContext?: SecureContext } {
  const file = env[SUP_ENV.extraCaCerts];
  if (!file) return {};
  let option = contexts.get(file);
  if (!option) {
    const tls = process.getBuiltinModule('node:tls');
    try {
      option = { secureContext: tls.createSecureContext({ ca: [...tls.rootCertificates, readFileSync(file, 'utf8')] }) };
    } catch {
      option = {};
    }
    contexts.set(file, option);
  }
  return option;
}

/**
 * node:http, or node:https with `extraCaOption`'s TLS options, for a request sup's own process makes to `url`. Loaded
 * at the first request, not with the process: most daemons never make one (tls alone is 20 modules).
 */
export function outbound(url: string): { http: typeof import('node:http'); tls: { secureContext?: SecureContext } } {
  if (!url.startsWith('https:')) return { http: process.getBuiltinModule('node:http'), tls: {} };
  return { http: process.getBuiltinModule('node:https') as unknown as typeof import('node:http'), tls: extraCaOption() };
}
