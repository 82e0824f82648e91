/**
 * The daemon ↔ keeper protocol, over SUP_HOME/keeper.sock. The keeper is the parent of every app process and the
 * cluster primary of every cluster app; it outlives the daemon, so a daemon that dies or is replaced (`sup update`)
 * takes no app with it: the next one says hello and is told what runs.
 *
 * Bumped when a message changes shape: a daemon that meets a keeper of another version does not adopt its apps,
 * it says so and restarts them under a keeper of its own.
 */
// 2: a fork spec's `ipc` (Bun, Deno).
export const KEEPER_PROTOCOL = 2;

/** What the daemon attaches to a process so that a later daemon knows whose it is. Opaque to the keeper. */
export interface ChildTag {
  app: string;
  id: number;
  index: number;
}

/** How to start one process, decided by the daemon (launch/spawn-spec.ts); the keeper only carries it out. */
export type SpawnSpec =
  | {
      mode: 'fork';
      /** A Node script, forked with an IPC channel. */
      node: boolean;
      /** A program that speaks Node's IPC channel too (Bun, Deno): spawned with one. */
      ipc?: boolean;
      /** What to run: the script (node), or the program (interpreter or the script itself). */
      file: string;
      args: string[];
      execArgv: string[];
      cwd: string;
      env: Record<string, string>;
      /** Run as this user and group (the keeper runs as root then); absent: the keeper's own. */
      uid?: number;
      gid?: number;
    }
  | {
      /** A worker of node:cluster, the keeper being the primary. */
      mode: 'cluster';
      file: string;
      args: string[];
      execArgv: string[];
      cwd: string;
      env: Record<string, string>;
      uid?: number;
      gid?: number;
    };

/** One process the keeper holds, as the daemon's hello is told it. */
export interface KeptChild {
  key: number;
  tag: ChildTag;
  pid: number;
  mode: SpawnSpec['mode'];
  /** Epoch ms when it was spawned. */
  startedAt: number;
  /** Cluster: one of its servers listens. */
  listening: boolean;
  /** It called process.send('ready'). */
  ready: boolean;
  /** It has an IPC channel (a Node process). */
  ipc: boolean;
}

export type ToKeeper =
  /** First on every connection: the keeper answers with `state`, then everything it holds for the daemon. */
  | { type: 'hello'; protocol: number; pid: number; token: string }
  /** The daemon has handled this many more frames of this connection (after `state`); the keeper forgets them. */
  | { type: 'ack'; frames: number }
  | { type: 'spawn'; key: number; tag: ChildTag; spec: SpawnSpec }
  /** A JSON message to the app's process.on('message'). */
  | { type: 'send'; key: number; message: unknown }
  /** Bytes to the app's stdin (`sup send`, as `pm2 send`). */
  | { type: 'stdin'; key: number; data: string }
  /** Cluster: ask sup's runtime in the worker to drain its HTTP servers, then answer `drained`. */
  | { type: 'drain'; key: number; graceMs: number }
  /** The daemon's log file for this process is behind: stop reading its output until `resume`. */
  | { type: 'pause'; key: number }
  | { type: 'resume'; key: number }
  /** The daemon leaves on purpose: with handover a new one comes and adopts; otherwise the keeper waits for one. */
  | { type: 'farewell'; handover: boolean }
  /** `sup kill`: the apps are stopped; SIGKILL what is left and exit. */
  | { type: 'shutdown' };

export type FromKeeper =
  /** The answer to hello. `lastKey`: the highest key ever used with this keeper (keys are never reused). */
  | { type: 'state'; protocol: number; pid: number; lastKey: number; children: KeptChild[] }
  | { type: 'spawned'; key: number; pid: number }
  | { type: 'spawn-failed'; key: number; error: string }
  | { type: 'listening'; key: number }
  | { type: 'ready'; key: number }
  | { type: 'message'; key: number; data: unknown }
  | { type: 'drained'; key: number }
  | { type: 'exit'; key: number; code: number | null; signal: string | null };
