import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ProcessDescription } from '../../src/protocol/messages.js';
import { killQuietly, pidsWithSupHome } from '../harness/proc.js';
import type { SupHome } from '../harness/sup-home.js';
import { waitFor } from '../harness/wait.js';

/** Writes an ecosystem JSON file with these apps and returns its path. */
export function writeEcosystem(dir: string, apps: Record<string, unknown>[], file = 'ecosystem.json'): string {
  const path = join(dir, file);
  writeFileSync(path, JSON.stringify({ apps }, null, 2));
  return path;
}

/** An ecosystem file of these apps in the home (removed with it), under a name of its own; returns its path. */
export function homeEcosystem(sup: SupHome, apps: Record<string, unknown>[]): string {
  return writeEcosystem(sup.home, apps, `ecosystem-${Math.random().toString(36).slice(2, 8)}.json`);
}

/** `sup describe <target> --json`, parsed. */
export async function describeApp(sup: SupHome, target: string): Promise<ProcessDescription[]> {
  return JSON.parse(await sup.ok(['describe', target, '--json'])) as ProcessDescription[];
}

/** Waits until the stdout log of one instance of the app has a line matching the pattern; returns that line. */
export async function waitForLogLine(sup: SupHome, name: string, pattern: RegExp, instance = 0, timeoutMs = 20_000): Promise<string> {
  // The same data as `sup describe --json`, asked over the harness's connection (a CLI run per lookup is slow).
  const described = (await (await sup.client()).request('describe', { targets: [name] })).processes;
  const path = described.find((p) => p.instance === instance)?.logs.out;
  if (!path) throw new Error(`no instance ${instance} of ${name} in ${JSON.stringify(described)}`);
  let text = '';
  return waitFor(
    `a line matching ${pattern} in ${path}`,
    () => {
      text = existsSync(path) ? readFileSync(path, 'utf8') : '';
      return text.split('\n').find((line) => pattern.test(line));
    },
    timeoutMs,
    () => text,
  );
}

/** Ends, by pid, those of these processes that still run with this home's SUP_HOME (a reused pid is left alone). */
export function killLeftovers(sup: SupHome, pids: readonly number[]): void {
  const ours = new Set(pidsWithSupHome((home) => home === sup.home));
  pids.filter((pid) => ours.has(pid)).forEach((pid) => killQuietly(pid));
}

/** `sup start` of an app that crashes at once: it reports the crash and exits non-zero (the crash loop goes on). */
export async function startCrashing(sup: SupHome, args: string[], options?: { env?: Record<string, string> }): Promise<string> {
  // The harness turns the start's crash watch off; this wants sup's default.
  const result = await sup.run(['start', ...args], { ...options, env: { SUP_START_WATCH_MS: '', ...options?.env } });
  if (result.code === 0 || !result.stderr.includes('exited during start')) {
    throw new Error(`expected \`sup start\` to report a crash at start; code ${result.code}, stderr:\n${result.stderr}`);
  }
  return result.stderr;
}

/** `sup start` of apps that may crash at once: a report of the crash (and a non-zero exit) is fine, any other failure is not. */
export async function startMayCrash(sup: SupHome, args: string[], options?: { env?: Record<string, string> }): Promise<string> {
  const result = await sup.run(['start', ...args], options);
  if (result.code !== 0 && !result.stderr.includes('exited during start')) {
    throw new Error(`\`sup start ${args.join(' ')}\` failed: code ${result.code}, stderr:\n${result.stderr}`);
  }
  return result.stdout;
}
