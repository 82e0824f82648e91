import { spawn } from 'node:child_process';
import net from 'node:net';
import type { HealthCheck } from '../../../config/app-config.js';
import { outbound } from '../../../extra-ca.js';
import type { ProbeResult } from './health-decision.js';

// What a probe keeps of a command's output for its detail: enough to say why, never the whole output.
const DETAIL_CHARS = 200;

/** Where a probe goes, resolved once per run: a path of the http check is on 127.0.0.1 and the app's PORT. */
export type ProbeTarget =
  | { kind: 'http'; url: string }
  | { kind: 'tcp'; port: number }
  | { kind: 'command'; command: string; cwd: string; env: Record<string, string> };

/** `ownPort`: a cluster worker's own probe port, which replaces the (shared) app port of a path or tcp check. */
export function probeTarget(check: HealthCheck, env: Record<string, string>, cwd: string, ownPort?: number): ProbeTarget {
  if (check.tcp !== null) return { kind: 'tcp', port: ownPort ?? check.tcp };
  if (check.command !== null) return { kind: 'command', command: check.command, cwd, env };
  const path = check.http ?? '/';
  if (!path.startsWith('/')) return { kind: 'http', url: path };
  return { kind: 'http', url: `http://127.0.0.1:${ownPort ?? env.PORT ?? '80'}${path}` };
}

/** Runs one probe, bounded by the check's timeout; never throws. */
export function runProbe(target: ProbeTarget, timeoutMs: number): Promise<ProbeResult> {
  const at = Date.now();
  const done = (ok: boolean, detail: string): ProbeResult => ({ ok, at, latency_ms: Date.now() - at, detail });
  return new Promise<ProbeResult>((resolve) => {
    let settled = false;
    let cancel = () => {};
    const finish = (ok: boolean, detail: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      cancel();
      resolve(done(ok, detail));
    };
    const timer = setTimeout(() => finish(false, `timed out after ${timeoutMs} ms`), timeoutMs);
    timer.unref();
    if (target.kind === 'http') cancel = httpProbe(target.url, finish);
    else if (target.kind === 'tcp') cancel = tcpProbe(target.port, finish);
    else cancel = commandProbe(target, finish);
  });
}

type Finish = (ok: boolean, detail: string) => void;

/** 2xx and 3xx are healthy (Docker's curl -f, Kubernetes' httpGet); redirects are not followed. */
function httpProbe(url: string, finish: Finish): () => void {
  const { http, tls } = outbound(url);
  // A fresh connection each time: a probe must not ride on a socket the app has stopped serving.
  const req = http.get(url, { agent: false, headers: { 'user-agent': 'sup-health-check' }, ...tls }, (res) => {
    res.resume();
    const code = res.statusCode ?? 0;
    finish(code >= 200 && code < 400, `HTTP ${code}`);
  });
  req.on('error', (err: NodeJS.ErrnoException) => finish(false, err.code ?? err.message));
  return () => req.destroy();
}

function tcpProbe(port: number, finish: Finish): () => void {
  const socket = net.connect({ host: '127.0.0.1', port }, () => finish(true, `connected to port ${port}`));
  socket.on('error', (err: NodeJS.ErrnoException) => finish(false, `${err.code ?? err.message} on port ${port}`));
  return () => socket.destroy();
}

/** A shell command, healthy on exit 0; its own process group, so that a timeout ends whatever it started. */
function commandProbe(target: Extract<ProbeTarget, { kind: 'command' }>, finish: Finish): () => void {
  const child = spawn('/bin/sh', ['-c', target.command], {
    cwd: target.cwd,
    env: target.env,
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-DETAIL_CHARS)));
  child.on('error', (err) => finish(false, err.message));
  child.on('close', (code, signal) => {
    const tail = stderr.trim().split('\n').pop() ?? '';
    finish(code === 0, `${signal ? `killed by ${signal}` : `exit code ${code}`}${tail && code !== 0 ? `: ${tail}` : ''}`);
  });
  return () => {
    if (child.exitCode === null && child.signalCode === null && child.pid) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  };
}
