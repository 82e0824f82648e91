import { extname } from 'node:path';
import type { AppConfig } from '../config/app-config.js';

export interface LogPaths {
  out: string;
  err: string;
  /** log_file: both streams together, or null. */
  combined: string | null;
}

const NULL_DEVICE = '/dev/null';

/**
 * Log files of one instance: SUP_HOME/logs/<name>-out.log and -error.log by default, or the
 * configured paths; multi-instance apps get -<instance> unless merge_logs; disable_logs sends
 * everything to /dev/null.
 */
export function logPaths(config: AppConfig, instance: number, logsDir: string): LogPaths {
  if (config.disable_logs) return { out: NULL_DEVICE, err: NULL_DEVICE, combined: null };
  const perInstance = config.instances > 1 && !config.merge_logs;
  const place = (file: string) => {
    if (!perInstance || file === NULL_DEVICE) return file;
    const ext = extname(file);
    return `${file.slice(0, file.length - ext.length)}-${instance}${ext}`;
  };
  return {
    out: place(config.out_file ?? `${logsDir}/${config.name}-out.log`),
    err: place(config.error_file ?? `${logsDir}/${config.name}-error.log`),
    combined: config.log_file ? place(config.log_file) : null,
  };
}

/** The files one stream of one instance is written to (the null device is no file). */
export function streamTargets(paths: LogPaths, stream: 'out' | 'err'): string[] {
  return [stream === 'out' ? paths.out : paths.err, paths.combined].filter((p): p is string => p !== null && p !== NULL_DEVICE);
}

/** How many sources (instance × stream) write each file; a file with more than one gets whole lines only. */
export function writersPerFile(config: AppConfig, instances: readonly number[], logsDir: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const index of instances) {
    const paths = logPaths(config, index, logsDir);
    for (const stream of ['out', 'err'] as const) {
      for (const file of streamTargets(paths, stream)) counts.set(file, (counts.get(file) ?? 0) + 1);
    }
  }
  return counts;
}
