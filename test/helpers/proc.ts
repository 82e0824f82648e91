import { readdirSync, readFileSync } from 'node:fs';

/** Pids of live (non-zombie) processes whose environment has SUP_HOME set to `home` or below `prefix`. */
export function pidsWithSupHome(match: (home: string) => boolean): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      if (/\) [ZX] /.test(stat)) continue;
      const env = readFileSync(`/proc/${name}/environ`, 'utf8').split('\0');
      const home = env.find((e) => e.startsWith('SUP_HOME='))?.slice('SUP_HOME='.length);
      if (home !== undefined && match(home)) out.push(Number(name));
    } catch {
      // exited while we looked, or not ours to read
    }
  }
  return out;
}

export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/\) [ZX] /.test(stat);
  } catch {
    return false;
  }
}

export function killQuietly(pid: number, signal: NodeJS.Signals = 'SIGKILL'): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}
