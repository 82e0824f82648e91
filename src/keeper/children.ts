import { type ChildProcess, fork, spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import type { ChildTag, FromKeeper, KeptChild, SpawnSpec } from '../protocol/keeper.js';
import { isWorkerControl, type ToWorker, WORKER_TAG } from '../protocol/worker.js';
import { withTimeout } from '../timeout.js';
import { forkWorker } from './cluster-workers.js';

/** Where the children's events go: to the daemon when one is there, into the outbox until one is. */
export interface ChildSink {
  event(message: FromKeeper): void;
  output(key: number, stream: 'out' | 'err', data: Buffer): void;
}

// After an exit, how long the pipes may take to give their last bytes before the exit is reported anyway.
const PIPE_END_MS = 200;

interface Child {
  info: KeptChild;
  process: ChildProcess;
  /** The daemon asked to stop reading this one's output (its log file is behind), or the outbox is full. */
  paused: { byDaemon: boolean; byOutbox: boolean };
}

/**
 * Every process the keeper holds, by the key the daemon gave it. The keeper decides nothing: it starts what it is told,
 * relays what happens, and keeps each record until the daemon has heard the process's exit.
 */
export class Children {
  private readonly byKey = new Map<number, Child>();
  private outboxFull = false;
  /** The highest key ever used: a daemon never reuses one (a process's run key names it and its leftovers). */
  lastKey = 0;

  constructor(private readonly sink: ChildSink) {}

  spawn(key: number, tag: ChildTag, spec: SpawnSpec): void {
    if (key <= this.lastKey) return this.sink.event({ type: 'spawn-failed', key, error: `key ${key} was used before` });
    this.lastKey = key;
    let proc: ChildProcess;
    try {
      if (spec.mode === 'cluster') {
        const worker = forkWorker(spec);
        worker.on('listening', () => this.listening(key));
        proc = worker.process;
      } else proc = startForked(spec);
    } catch (err) {
      return this.sink.event({ type: 'spawn-failed', key, error: (err as Error).message });
    }
    const info: KeptChild = {
      key,
      tag,
      pid: proc.pid ?? 0,
      mode: spec.mode,
      startedAt: Date.now(),
      listening: false,
      ready: false,
      ipc: spec.mode === 'cluster' || spec.node || spec.ipc === true,
    };
    const child: Child = { info, process: proc, paused: { byDaemon: false, byOutbox: this.outboxFull } };
    this.byKey.set(key, child);
    this.wire(child);
  }

  /** What the keeper holds, for a daemon's hello: every child whose exit that daemon has not been told yet. */
  list(): KeptChild[] {
    return [...this.byKey.values()].map((c) => ({ ...c.info }));
  }

  /** The daemon has heard this exit: the record goes. */
  forget(key: number): void {
    this.byKey.delete(key);
  }

  send(key: number, message: unknown): void {
    const proc = this.byKey.get(key)?.process;
    if (proc?.connected) proc.send(message as never, () => undefined);
  }

  /** Cluster: sup's runtime in the worker stops accepting and closes idle connections, then answers `drained`. */
  drain(key: number, graceMs: number): void {
    const proc = this.byKey.get(key)?.process;
    const message: ToWorker = { [WORKER_TAG]: 'drain', graceMs };
    if (proc?.connected) proc.send(message, () => undefined);
    else this.sink.event({ type: 'drained', key });
  }

  stdin(key: number, data: string): void {
    const stdin = this.byKey.get(key)?.process.stdin;
    if (stdin?.writable) stdin.write(data, () => undefined);
  }

  pauseByDaemon(key: number, paused: boolean): void {
    const child = this.byKey.get(key);
    if (!child) return;
    child.paused.byDaemon = paused;
    applyPause(child);
  }

  /** The outbox is over its bound: every child waits (on its full pipe) until it drains. Nothing is dropped. */
  setOutboxFull(full: boolean): void {
    this.outboxFull = full;
    for (const child of this.byKey.values()) {
      child.paused.byOutbox = full;
      applyPause(child);
    }
  }

  /** Every pid still running, for a shutdown. */
  livePids(): number[] {
    return [...this.byKey.values()].filter((c) => c.process.exitCode === null && c.process.signalCode === null).map((c) => c.info.pid);
  }

  get size(): number {
    return this.byKey.size;
  }

  private wire(child: Child): void {
    const { key } = child.info;
    const proc = child.process;
    if (proc.pid !== undefined) this.sink.event({ type: 'spawned', key, pid: proc.pid });
    for (const [stream, source] of [
      ['out', proc.stdout],
      ['err', proc.stderr],
    ] as const) {
      source?.on('data', (data: Buffer) => this.sink.output(key, stream, data));
    }
    applyPause(child);
    proc.on('message', (message: unknown) => {
      if (message === 'ready') {
        child.info.ready = true;
        this.sink.event({ type: 'ready', key });
      } else if (isWorkerControl(message) && message[WORKER_TAG] === 'drained') this.sink.event({ type: 'drained', key });
      else this.sink.event({ type: 'message', key, data: message });
    });
    proc.on('error', (err) => {
      // Spawn failures (ENOENT, EACCES) come without an exit event; later errors (a send to a closing channel) do not matter.
      if (proc.pid === undefined) {
        this.byKey.delete(key);
        this.sink.event({ type: 'spawn-failed', key, error: err.message });
      }
    });
    proc.once('exit', (code, signal) => {
      // Whatever the pipes still hold goes before the exit, so that the last lines reach the log in order; bounded,
      // since a child the app left behind may hold the pipes open.
      const drained = Promise.all([ended(proc.stdout), ended(proc.stderr)]);
      void withTimeout(drained, PIPE_END_MS).then(() => this.sink.event({ type: 'exit', key, code, signal }));
    });
  }

  /** Cluster: `listening` comes from the worker object, not the process. */
  private listening(key: number): void {
    const child = this.byKey.get(key);
    if (!child) return;
    child.info.listening = true;
    this.sink.event({ type: 'listening', key });
  }
}

/**
 * Node scripts are forked with an IPC channel; anything else is spawned, Bun and Deno with an IPC channel too. `detached`: each app leads its own process
 * group, so that a stop reaches its whole tree. stdin is a pipe, for `sup send`.
 */
function startForked(spec: Extract<SpawnSpec, { mode: 'fork' }>): ChildProcess {
  const options = { cwd: spec.cwd, env: spec.env, detached: true, uid: spec.uid, gid: spec.gid };
  if (spec.node) return fork(spec.file, spec.args, { ...options, execArgv: spec.execArgv, stdio: ['pipe', 'pipe', 'pipe', 'ipc'] });
  return spawn(spec.file, spec.args, { ...options, stdio: spec.ipc ? ['pipe', 'pipe', 'pipe', 'ipc'] : ['pipe', 'pipe', 'pipe'] });
}

function applyPause(child: Child): void {
  const pause = child.paused.byDaemon || child.paused.byOutbox;
  for (const source of [child.process.stdout, child.process.stderr]) {
    if (!source) continue;
    if (pause) source.pause();
    else source.resume();
  }
}

/** Resolves once a stream has given its last byte (or at once, if it has none). */
function ended(stream: Readable | null): Promise<void> {
  if (!stream || stream.readableEnded || stream.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    stream.once('end', resolve);
    stream.once('close', resolve);
  });
}
