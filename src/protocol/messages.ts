/**
 * The one vocabulary spoken over the control socket, imported by the CLI, the API client and the daemon.
 * Adding an entry to `Api` without a schema and a handler in the daemon does not compile.
 */
import type { AppConfig, HookEvent } from '../config/app-config.js';
import type { WireError } from '../errors.js';

export type * from './process-info.js';
import type { ActionReply, MetricsSample, ProcessDescription, ProcessInfo, StartFailure } from './process-info.js';

/** A name, a numeric id, or "all". Ecosystem files are expanded to their app names by the client. */
export type Selector = string;

/** events: what happens to apps (`app-event`), for `sup events` and hooks. */
export type Topic = 'process' | 'log' | 'message' | 'metrics' | 'events';

/**
 * Something that happened to an instance: what hooks receive (stdin JSON, POST body) and `sup events --json` prints.
 * Fields that do not apply are null (a start has no exit code). `unhealthy` is emitted by health checks with a reason.
 */
export interface AppEvent {
  event: HookEvent;
  app: string;
  id: number;
  instance: number;
  /** ms since the epoch. */
  at: number;
  pid: number | null;
  exit_code: number | null;
  signal: string | null;
  reason: string | null;
  /** The instance's last lines on stderr (at most 20), oldest first; for exit, crash and errored. */
  stderr: string[];
}

export interface Api {
  /** keeper: the process that holds the apps, and the protocol it speaks (what `sup update` checks before a handover). */
  ping: {
    request: Record<string, never>;
    response: { pid: number; version: string; uptime: number; keeper: { pid: number; protocol: number } | null };
  };
  /**
   * existing: what happens to an app of the same name that runs already: restarted (PM2's start), replaced with this
   * configuration (`--replace`), or given these instances besides its own (`-f`, another copy). restarted: those names.
   */
  start: {
    /** watchMs: how long to watch for a crash at start (default min_uptime, at most 5 s). */
    request: { apps: AppConfig[]; env: Record<string, string>; existing: 'restart' | 'replace' | 'copy'; watchMs?: number };
    /** failures: instances whose process exited during the start (within about min_uptime). */
    response: { processes: ProcessInfo[]; restarted: string[]; failures: StartFailure[] };
  };
  /** `sup start <name|id>`: starts the stopped or errored instances of existing apps and restarts running ones (PM2). */
  startExisting: { request: { targets: Selector[] }; response: { processes: ProcessInfo[]; restarted: number[] } };
  stop: { request: { targets: Selector[] }; response: { processes: ProcessInfo[] } };
  /** env: `--update-env`, the CLI's environment replaces the one the apps were started with. */
  restart: { request: { targets: Selector[]; env?: Record<string, string> }; response: { processes: ProcessInfo[] } };
  /** `restart|reload <ecosystem file>`: starts the file's new apps, restarts (or reloads) the others. */
  startOrRestart: {
    request: { apps: AppConfig[]; env: Record<string, string>; action: 'restart' | 'reload'; updateEnv: boolean; parallel: number };
    response: { processes: ProcessInfo[]; started: string[]; restarted: string[] };
  };
  delete: { request: { targets: Selector[] }; response: { processes: ProcessInfo[] } };
  reset: { request: { targets: Selector[] }; response: { processes: ProcessInfo[] } };
  list: { request: Record<string, never>; response: { processes: ProcessInfo[] } };
  describe: { request: { targets: Selector[] }; response: { processes: ProcessDescription[] } };
  subscribe: { request: { topics: Topic[] }; response: Record<string, never> };
  /**
   * handover (`sup update`): the next daemon takes the apps over. keepApps: they run on under the keeper (the next daemon
   * speaks its protocol); without it they are stopped and the next daemon starts them again as they were.
   */
  kill: { request: { handover?: boolean; keepApps?: boolean }; response: { stopped: number } };
  /** `sup save`: the current list becomes the one `sup resurrect` brings back. An empty list replaces a saved one only with force. */
  save: { request: { force: boolean }; response: { file: string; apps: number; instances: number } };
  /** `sup resurrect`: brings back the saved list; apps already managed are skipped. */
  resurrect: { request: Record<string, never>; response: { processes: ProcessInfo[]; skipped: string[]; warning: string | null } };
  /** Empties the log files of the selected apps (all without targets). */
  flush: { request: { targets: Selector[] }; response: { files: string[] } };
  /** Reopens every log file, after an external logrotate renamed them. */
  reloadLogs: { request: Record<string, never>; response: { files: number } };
  /** Rolling replacement of cluster instances; fork-mode apps are restarted. */
  reload: {
    request: { targets: Selector[]; parallel: number; env?: Record<string, string> };
    response: { processes: ProcessInfo[]; restarted: string[] };
  };
  /** The recent CPU and memory samples of one instance, oldest first (for graphs). */
  history: { request: { id: number }; response: { id: number; interval_ms: number; samples: MetricsSample[] } };
  /** `--name` on restart, start or reload of one app: the app goes on under the new name. */
  rename: { request: { target: Selector; name: string }; response: { processes: ProcessInfo[] } };
  scale: { request: { name: string; count: string }; response: { processes: ProcessInfo[]; from: number; to: number } };
  signal: { request: { targets: Selector[]; signal: string }; response: { processes: ProcessInfo[] } };
  /** `sup send`, as `pm2 send`: a line to the apps' stdin. */
  send: { request: { targets: Selector[]; line: string }; response: { processes: ProcessInfo[] } };
  /** `sup message`: a JSON message to the apps' process.on('message'). */
  message: { request: { targets: Selector[]; message: unknown }; response: { processes: ProcessInfo[] } };
  /** `sup trigger`: calls an action the apps registered (sup's runtime `action()` or @pm2/io's); their replies. */
  trigger: { request: { targets: Selector[]; action: string; params?: unknown }; response: { replies: ActionReply[] } };
}

export type RequestType = keyof Api;
export type RequestOf<K extends RequestType> = Api[K]['request'];
export type ResponseOf<K extends RequestType> = Api[K]['response'];
export type Request = { [K in RequestType]: { type: K } & RequestOf<K> }[RequestType];

export type SupEvent =
  | { type: 'process'; process: ProcessInfo }
  | { type: 'removed'; id: number; name: string }
  | { type: 'log'; id: number; name: string; instance: number; stream: 'out' | 'err'; data: string }
  /** A message an app sent with process.send (other than 'ready'). */
  | { type: 'message'; id: number; name: string; instance: number; data: unknown }
  /** This connection could not keep up and `count` log events were skipped for it (the files have every line). */
  | { type: 'log-skipped'; count: number }
  /** One monitor pass: the tree figures of every running instance. */
  | { type: 'metrics'; samples: { id: number; cpu: number; memory: number }[] }
  /** A step of a longer operation (a reload), for the CLI to show progress. */
  | { type: 'progress'; name: string; id: number; text: string }
  /**
   * An instance's health check (or watchdog) turned it unhealthy (it is then restarted; cluster: reloaded) or
   * healthy again; `reason` says why, with the word "health" or "watchdog" in it. Topic `process`.
   */
  | { type: 'health'; id: number; name: string; instance: number; status: 'healthy' | 'unhealthy'; reason: string }
  /** What happened to an instance (start, crash, …): the hooks' input and `sup events`. */
  | { type: 'app-event'; event: AppEvent };

/** The body travels apart from the envelope, so that no request field can shadow `id` or `type`. */
export type ClientFrame = { [K in RequestType]: { id: number; type: K; body: RequestOf<K> } }[RequestType];

/** Bumped whenever frames change shape, so that a CLI and a daemon of the same release but different builds still notice. */
export const PROTOCOL_VERSION = 7;

export type ServerFrame =
  | { kind: 'hello'; version: string; protocol: number; pid: number }
  | { kind: 'reply'; id: number; ok: true; result: unknown }
  | { kind: 'reply'; id: number | null; ok: false; error: WireError }
  | { kind: 'event'; event: SupEvent };

/** Frames above this size close the connection (ws answers 1009); nothing legitimate comes close. */
export const MAX_FRAME_BYTES = 4 * 1024 * 1024;

/** Requests that work across a version mismatch, so that an old daemon can still be inspected and stopped. */
export const VERSION_AGNOSTIC: readonly RequestType[] = ['ping', 'kill'];
