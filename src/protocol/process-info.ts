/** What the daemon reports about processes: statuses, figures, health, exits. Spoken by every client. */
import type { AppConfig, HookEvent } from '../config/app-config.js';

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

/** One exit of an instance's process, as `describe` keeps the last few. */
export interface ExitRecord {
  at: number;
  code: number | null;
  signal: string | null;
  /** What sup made of it: "exited with code 1; restarting in 100 ms", "stopped on request". */
  reason: string;
  /** The last lines it wrote to stderr. */
  stderr: string[];
}

/** An app instance whose process exited while `sup start` waited for it to settle. */
export interface StartFailure {
  id: number;
  name: string;
  exit: ExitRecord;
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
  /** The last few exits, newest last. */
  exits: ExitRecord[];
  /** Hooks of this app (and daemon-wide ones on its events) that failed lately. */
  hook_failures: HookFailure[];
}

/** What besides a crash restarts the app. */
export interface TriggersInfo {
  watch: { paths: string[]; ignored: string[]; delay_ms: number; active: boolean } | null;
  cron: { pattern: string; next_run: number | null } | null;
}

/** One instance's answer to `sup trigger` (null data: it did not answer within the wait). */
export interface ActionReply {
  id: number;
  name: string;
  answered: boolean;
  data: unknown;
}

export interface MetricsSample {
  at: number;
  cpu: number;
  memory: number;
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
