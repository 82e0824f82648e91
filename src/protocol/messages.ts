/**
 * The one vocabulary spoken over the control socket, imported by the CLI, the API client and the daemon.
 * Adding an entry to `Api` without a schema and a handler in the daemon does not compile.
 */
import type { AppConfig, HookEvent } from '../config/app-config.js';
import type { WireError } from '../errors.js';

/** PM2's statuses, and a one-shot task's end: completed (exit 0) or failed (its exit code in status_reason). */
export type Status = 'launching' | 'online' | 'stopping' | 'stopped' | 'waiting-restart' | 'errored' | 'completed' | 'failed';

/** What the app's health check last found (apps with a health_check). */
export interface HealthInfo {
  /** starting: within start_period, or no result yet; unhealthy: `retries` failures in a row. */
  status: 'starting' | 'healthy' | 'unhealthy';
  /** Failures in a row so far. */
  failures: number;
  last: { ok: boolean; at: number; latency_ms: number; detail: string } | null;
}

/** What sup's runtime inside a Node app last reported. */
export interface RuntimeInfo {
  /** Event-loop delay: the mean and the worst over the last report's window, in ms. */
  loop_delay_ms: number;
  loop_delay_max_ms: number;
  heap_used: number;
  heap_total: number;
  at: number;
}
export type ExecMode = AppConfig['exec_mode'];

export interface ProcessInfo {
  id: number;
  name: string;
  namespace: string;
  instance: number;
  pid: number | null;
  status: Status;
  mode: ExecMode;
  /** Every restart, automatic or requested. */
  restarts: number;
  /** Consecutive runs shorter than min_uptime; reaching max_restarts means errored. */
  unstable_restarts: number;
  /** ms since the current process started; 0 when none runs. */
  uptime: number;
  cpu: number | null;
  /** RSS in bytes. */
  memory: number | null;
  exit_code: number | null;
  exit_signal: string | null;
  /** Why the status is what it is, when that is not obvious (errored, stopped by policy, waiting). */
  status_reason: string | null;
  /** Why sup last restarted it: a crash, a request, "memory limit 200 MB exceeded: 231 MB". */
  restart_reason: string | null;
  /** null when the app has no health_check. */
  health: HealthInfo | null;
  /** null for apps without sup's runtime (not Node) or before its first report. */
  runtime: RuntimeInfo | null;
}

export interface SeriesStats {
  current: number | null;
  peak: number | null;
  average: number | null;
}

export interface ProcessDescription extends ProcessInfo {
  config: AppConfig;
  logs: { out: string; err: string; combined: string | null };
  created_at: number;
  started_at: number | null;
  next_restart_at: number | null;
  /** Whole process tree unless said otherwise; peak and average over the last 5 minutes. */
  monitor: {
    cpu: SeriesStats;
    memory: SeriesStats;
    main_cpu: number | null;
    main_memory: number | null;
    memory_limit: number | null;
    interval_ms: number;
  };
  triggers: TriggersInfo;
  /** Hooks of this app (and daemon-wide ones on its events) that failed lately. */
  hook_failures: HookFailure[];
}

/** What besides a crash restarts the app. */
export interface TriggersInfo {
  watch: { paths: string[]; ignored: string[]; delay_ms: number; active: boolean } | null;
  cron: { pattern: string; next_run: number | null } | null;
}

export interface MetricsSample {
  at: number;
  cpu: number;
  memory: number;
}

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

/** A hook that failed, as `sup describe` shows it (reported once in daemon.log). */
export interface HookFailure {
  event: HookEvent;
  /** The command, or the URL. */
  target: string;
  error: string;
  at: number;
  /** Failures in a row; the entry goes once the hook succeeds. */
  count: number;
}

export interface Api {
  /** keeper: the process that holds the apps, and the protocol it speaks (what `sup update` checks before a handover). */
  ping: {
    request: Record<string, never>;
    response: { pid: number; version: string; uptime: number; keeper: { pid: number; protocol: number } | null };
  };
  start: {
    request: { apps: AppConfig[]; env: Record<string, string>; force: boolean };
    response: { processes: ProcessInfo[] };
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
  scale: { request: { name: string; count: string }; response: { processes: ProcessInfo[]; from: number; to: number } };
  signal: { request: { targets: Selector[]; signal: string }; response: { processes: ProcessInfo[] } };
  send: { request: { targets: Selector[]; message: unknown }; response: { processes: ProcessInfo[] } };
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
