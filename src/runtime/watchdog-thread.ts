import { writeSync } from 'node:fs';
import { Session } from 'node:inspector';
import { workerData } from 'node:worker_threads';
import { formatStack, type PausedFrame } from './hung-stack.js';

/**
 * The watchdog thread inside a Node app (started by watchdog.ts). When the main thread's counter has not moved for
 * `watchdog` ms, it pauses the main thread through the inspector (which interrupts even a `while (true)`), writes
 * the stack to stderr (fd 2, directly: the main thread that owns process.stderr is the one that is stuck), and
 * has the main thread send sup a `hung` message over its IPC channel before it resumes. sup then restarts the app.
 */
const { beat, watchdogMs, tickMs } = workerData as { beat: Int32Array; watchdogMs: number; tickMs: number };
// A pause that does not come within this long: report without a stack (a native call that never returns to JS).
const CAPTURE_MS = 1000;

let seen = Atomics.load(beat, 0);
let since = Date.now();
let reported = false;

setInterval(() => {
  const now = Atomics.load(beat, 0);
  if (now !== seen) {
    seen = now;
    since = Date.now();
    reported = false;
    return;
  }
  const blocked = Date.now() - since;
  if (blocked >= watchdogMs && !reported) {
    reported = true;
    void report(blocked);
  }
}, tickMs);

async function report(blockedMs: number): Promise<void> {
  const session = new Session();
  try {
    session.connectToMainThread();
    const scripts = new Map<string, string>();
    session.on('Debugger.scriptParsed', (m) => scripts.set(m.params.scriptId, m.params.url));
    const paused = new Promise<PausedFrame[]>((resolve) => session.once('Debugger.paused', (m) => resolve(m.params.callFrames)));
    await post(session, 'Debugger.enable');
    await post(session, 'Debugger.pause');
    const frames = await Promise.race([paused, new Promise<null>((r) => setTimeout(() => r(null), CAPTURE_MS))]);
    const head = `sup watchdog: the event loop has been blocked for ${blockedMs} ms (watchdog ${watchdogMs} ms)`;
    writeSync(2, frames ? `${head}; it is here:\n${formatStack(frames, scripts)}\n` : `${head}; no stack (it is not running JavaScript)\n`);
    const message = JSON.stringify({ __sup: 'hung', blocked_ms: blockedMs, watchdog_ms: watchdogMs, stack: frames !== null });
    // Evaluated on the main thread, paused in the debugger: the IPC write goes out at once.
    await post(session, 'Runtime.evaluate', { expression: `process.send?.(${message}), 0` });
    await post(session, 'Debugger.resume');
    await post(session, 'Debugger.disable');
  } catch (err) {
    writeSync(2, `sup watchdog: could not report the blocked loop: ${(err as Error).message}\n`);
  } finally {
    session.disconnect();
  }
}

function post(session: Session, method: string, params?: object): Promise<unknown> {
  return new Promise((resolve, reject) =>
    session.post(method, params ?? {}, (err: Error | null, result?: unknown) => (err ? reject(err) : resolve(result))),
  );
}
