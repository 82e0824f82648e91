import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { extname } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runInNewContext } from 'node:vm';
import JSON5 from 'json5';
import { SupError } from '../errors.js';

/**
 * Reads an ecosystem file into its document, whatever the format: JSON, YAML, or a CommonJS or ES
 * module whose export (or default export) is the document, a function returning it, or a promise of it.
 * Every failure names the file and, where there is one, the line.
 */
export async function readEcosystem(path: string, label: string): Promise<unknown> {
  const ext = extname(path).toLowerCase();
  if (ext === '.js' || ext === '.cjs' || ext === '.mjs') return evaluateModule(path, label);
  const text = readText(path, label);
  if (ext === '.yaml' || ext === '.yml') return parseYamlText(text, label);
  if (ext === '.json' || ext === '.json5') return parseJsonText(text, label);
  throw new SupError('INVALID_CONFIG', `${label}: unknown ecosystem format "${ext}"; expected .json, .yaml, .yml, .js, .cjs or .mjs`);
}

function readText(path: string, label: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw unreadable(err, label);
  }
}

function unreadable(err: unknown, label: string): SupError {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new SupError('SCRIPT_NOT_FOUND', `${label}: no such file`);
  return new SupError('INVALID_CONFIG', `${label}: cannot read (${code ?? (err as Error).message})`);
}

/**
 * PM2 reads a .json file as a JavaScript expression, so comments, trailing commas, single quotes and unquoted keys
 * all pass; JSON5 accepts the same and is not code. Only a file JSON5 refuses is then evaluated as PM2 does (an
 * expression such as `["a", "b"].join("")`; no more trust than an ecosystem.config.js gets). A real mistake still
 * names its line and column, from JSON5.
 */
export function parseJsonText(text: string, label: string): unknown {
  try {
    return JSON5.parse(text);
  } catch (err) {
    const doc = asExpression(text);
    if (doc !== undefined) return doc;
    const { lineNumber, columnNumber, message } = err as Error & { lineNumber?: number; columnNumber?: number };
    const where = lineNumber !== undefined ? ` at line ${lineNumber}, column ${columnNumber}` : '';
    throw new SupError('INVALID_CONFIG', `${label}: invalid JSON${where}: ${message.replace(/^JSON5: /, '').replace(/ at \d+:\d+$/, '')}`);
  }
}

/**
 * The document as PM2 gets it (`vm.runInThisContext('(' + text + ')')`): in a context of its own with `process.env`
 * (PM2 files read it), a second at most for the expression itself; an object or nothing. Not a sandbox: the file is
 * trusted as an ecosystem.config.js is.
 */
function asExpression(text: string): object | undefined {
  try {
    const value: unknown = runInNewContext(`(${text}\n)`, { process: { env: { ...process.env } } }, { timeout: 1000 });
    // Through JSON: plain objects of this realm, as the other readers give.
    return typeof value === 'object' && value !== null ? (JSON.parse(JSON.stringify(value)) as object) : undefined;
  } catch {
    return undefined;
  }
}

/** YAML's parser loads only for a YAML document: a script or JSON start does without its tenth of a second. */
export async function parseYamlText(text: string, label: string): Promise<unknown> {
  const { parse: parseYaml, YAMLParseError } = await import('yaml');
  try {
    // uniqueKeys: a key written twice is a mistake, not a silent override; merge: `<<: *defaults`, as PM2's js-yaml reads it.
    return parseYaml(text, { prettyErrors: true, uniqueKeys: true, merge: true });
  } catch (err) {
    if (!(err instanceof YAMLParseError)) throw err;
    const where = err.linePos?.[0] ? ` at line ${err.linePos[0].line}, column ${err.linePos[0].col}` : '';
    const reason = err.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    throw new SupError('INVALID_CONFIG', `${label}: invalid YAML${where}: ${reason}`);
  }
}

async function evaluateModule(path: string, label: string): Promise<unknown> {
  // Checked first: a module the file imports that is missing must not read as the file itself missing.
  try {
    statSync(path);
  } catch (err) {
    throw unreadable(err, label);
  }
  let loaded: { default?: unknown };
  try {
    loaded = (await import(pathToFileURL(path).href)) as { default?: unknown };
  } catch (err) {
    throw moduleError(err, path, label);
  }
  // CommonJS: module.exports arrives as the default export; ESM: `export default` (or `export const apps`).
  if (loaded.default === undefined && Object.keys(loaded).length === 0) {
    throw new SupError('INVALID_CONFIG', `${label}: exports nothing; an ES module needs \`export default { apps: [...] }\``);
  }
  const exported = loaded.default ?? loaded;
  try {
    return typeof exported === 'function' ? await (exported as () => unknown)() : await exported;
  } catch (err) {
    const kind = typeof exported === 'function' ? 'function' : 'promise';
    throw new SupError('INVALID_CONFIG', `${label}: its exported ${kind} failed: ${describeThrown(err, path)}`);
  }
}

function moduleError(err: unknown, path: string, label: string): SupError {
  if (err instanceof SyntaxError) return new SupError('INVALID_CONFIG', `${label}: syntax error ${syntaxLocation(err, path)}`);
  if (err instanceof ReferenceError && /module is not defined in ES module scope/.test(err.message)) {
    return new SupError(
      'INVALID_CONFIG',
      `${label}: uses module.exports, but its package.json says "type": "module"; rename it to .cjs or use \`export default\``,
    );
  }
  return new SupError('INVALID_CONFIG', `${label}: failed to load: ${describeThrown(err, path)}`);
}

/** Node puts "file:line" and the caret above a CommonJS syntax error's stack, but not an ES module's: `node --check` does. */
function syntaxLocation(err: SyntaxError, path: string): string {
  const stack = err.stack ?? '';
  let head = stack.startsWith(path) ? stack : '';
  if (!head) {
    try {
      execFileSync(process.execPath, ['--check', path], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 10_000 });
    } catch (checked) {
      head = String((checked as { stderr?: Buffer }).stderr ?? '');
    }
  }
  const [where, code, caret] = head.split('\n');
  const line = where && where.startsWith(path) ? /:(\d+)$/.exec(where)?.[1] : undefined;
  if (!line) return `(${err.message})`;
  return `at line ${line}: ${err.message}\n  ${code?.trimEnd() ?? ''}\n  ${caret ?? ''}`.trimEnd();
}

/** An error thrown by the file's own code: its message and the line of the file it came from. */
function describeThrown(err: unknown, path: string): string {
  if (!(err instanceof Error)) return String(err);
  const frame = (err.stack ?? '').split('\n').find((l) => l.includes(path) || l.includes(pathToFileURL(path).href));
  const line = frame ? /:(\d+):\d+\)?$/.exec(frame)?.[1] : undefined;
  return `${err.message}${line ? ` (line ${line})` : ''}`;
}
