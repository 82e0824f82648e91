import type { ChildTag, KeptChild } from '../../protocol/keeper.js';

/**
 * One running process of an instance, held by the keeper: a forked app (fork mode) or a worker of the keeper's
 * cluster primary (cluster mode). The instance only talks to this.
 */

export interface ExitInfo {
  code: number | null;
  signal: string | null;
  /** Set when the process could not be started at all (ENOENT, EACCES). */
  error?: string;
  /** It went with a keeper that died: not a crash of the app; it starts again as it was, counters unchanged. */
  lost?: boolean;
}

/** What a handle reports; each callback fires for this handle only, so stale processes cannot confuse an instance. */
export interface HandleEvents {
  spawned(pid: number): void;
  /** Cluster mode: one of its servers listens. */
  listening(): void;
  /** The app called process.send('ready'). */
  ready(): void;
  /** Any other message the app sent. */
  message(data: unknown): void;
  /** Returns a promise when the output cannot be written as fast as it comes: the source pauses until it resolves. */
  output(stream: 'out' | 'err', chunk: Buffer): Promise<void> | undefined;
  exited(exit: ExitInfo): void;
}

export interface StopOptions {
  signal: NodeJS.Signals;
  timeoutMs: number;
  /** shutdown_with_message: send "shutdown" over IPC instead of the signal. */
  viaMessage: boolean;
  /** treekill: 'tree' stops the process group and every descendant; 'process' only the main process. */
  scope: KillScope;
}

export type KillScope = 'tree' | 'process';

export type StopOutcome = 'exited' | 'killed';

export interface ProcessHandle {
  readonly pid: number | undefined;
  /** The process group that holds the process's tree: its own in fork mode, none of its own for a cluster worker. */
  readonly processGroup: number | null;
  /** Resolves once the process has exited (or never started). */
  readonly exited: Promise<void>;
  /** Sends an IPC message; false when the process has no channel (not a Node script) or it is closed. */
  send(message: unknown): boolean;
  /** Writes to the process's stdin (`sup send`); false once it has exited. */
  write(data: string): boolean;
  signal(signal: NodeJS.Signals): void;
  /** Stops the process and all of its descendants: message or signal, then SIGKILL after timeoutMs. */
  stop(options: StopOptions): Promise<StopOutcome>;
  /** Kills what the process left behind after it exited on its own (a crash can orphan children). */
  reapLeftovers(options: StopOptions): void;
}

export interface Launcher {
  /** `tag` says whose process it is, for a later daemon that adopts it. */
  launch(env: Record<string, string>, events: HandleEvents, tag: ChildTag): ProcessHandle;
  /** Takes over a process that an earlier daemon started and the keeper still holds. */
  adopt(child: KeptChild, events: HandleEvents): ProcessHandle;
}
