import { readFileSync } from 'node:fs';
import { supFile } from './install-paths.js';

let cached: string | undefined;

/** The package version, read once on first use so that both ends agree with package.json. */
export function supVersion(): string {
  cached ??= (JSON.parse(readFileSync(supFile('packageJson'), 'utf8')) as { version: string }).version;
  return cached;
}
