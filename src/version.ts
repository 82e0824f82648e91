import { readFileSync } from 'node:fs';

let cached: string | undefined;

/** The package version, read once on first use so that both ends agree with package.json. */
export function supVersion(): string {
  cached ??= (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  return cached;
}
