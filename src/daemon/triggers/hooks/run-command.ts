import { spawn } from 'node:child_process';

export type HookOutcome = { ok: true } | { ok: false; error: string };

// Enough of a failing command's stderr to say why, never its whole output.
const STDERR_KEEP = 400;

/**
 * Runs a shell command hook: the event as one JSON object on stdin, SUP_* variables in its environment. It is the
 * leader of its own process group, so a timeout kills everything it started (SIGKILL), and it never holds the daemon.
 */
export function runCommand(
  command: string,
  opts: { cwd: string; env: NodeJS.ProcessEnv; input: string; timeoutMs: number },
): { done: Promise<HookOutcome>; kill: () => void } {
  let child: ReturnType<typeof spawn>;
  try {
    child = spawn('/bin/sh', ['-c', command], { cwd: opts.cwd, env: opts.env, stdio: ['pipe', 'ignore', 'pipe'], detached: true });
  } catch (err) {
    return { done: Promise.resolve({ ok: false, error: (err as Error).message }), kill: () => undefined };
  }
  const kill = () => {
    try {
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    } catch {}
  };
  const done = new Promise<HookOutcome>((resolve) => {
    let stderr = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      kill();
    }, opts.timeoutMs);
    timer.unref();
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-STDERR_KEEP);
    });
    // A command that does not read its stdin closes it early: that is its business, not a failure.
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(opts.input);
    child.on('error', (err) => {
      clearTimeout(timer);
      resolve({ ok: false, error: err.message });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (timedOut) return resolve({ ok: false, error: `did not finish within ${opts.timeoutMs} ms; killed` });
      if (code === 0) return resolve({ ok: true });
      const why = signal ? `killed by ${signal}` : `exited with code ${code}`;
      const said = stderr.trim().split('\n').at(-1);
      resolve({ ok: false, error: said ? `${why}: ${said}` : why });
    });
  });
  return { done, kill };
}
