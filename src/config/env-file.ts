import { readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { SupError } from '../errors.js';

/** Reads a dotenv file (KEY=value lines, quotes, comments) with Node's own parser. */
export function readEnvFile(path: string, label: string): Record<string, string> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new SupError('INVALID_CONFIG', `${label}: env_file ${code === 'ENOENT' ? 'not found' : `cannot be read (${code})`}: ${path}`);
  }
  return { ...parseEnv(text) } as Record<string, string>;
}
