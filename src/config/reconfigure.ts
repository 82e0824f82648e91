import { availableParallelism } from 'node:os';
import type { AppConfig } from './app-config.js';
import { normalizeApps } from './normalize.js';

/** Flags whose value lands under another key of the resolved config. */
const LANDS_IN: Record<string, keyof AppConfig> = {
  disable_source_map_support: 'source_map_support',
  execute_command: 'exec_mode',
  node_args: 'interpreter_args',
};

/**
 * A running app's config with flags over it (`sup restart api --node-args=... --watch`, as PM2 takes them): the flags are
 * read exactly as at start, against the app's own folder, and only the keys they name change.
 */
export function reconfigure(config: AppConfig, overrides: Record<string, unknown>): AppConfig {
  const given = Object.keys(overrides).filter((key) => key !== 'name');
  if (given.length === 0) return config;
  const base = { name: config.name, script: config.script, cwd: config.cwd, interpreter: config.interpreter, exec_mode: config.exec_mode };
  const [fresh] = normalizeApps(
    { ...base, ...Object.fromEntries(given.map((key) => [key, overrides[key]])) },
    { source: `app "${config.name}"`, baseDir: config.cwd, cpuCount: availableParallelism() },
  ).apps;
  const keys = new Set(given.map((key) => LANDS_IN[key] ?? (key as keyof AppConfig)));
  return { ...config, ...Object.fromEntries(Object.entries(fresh!).filter(([key]) => keys.has(key as keyof AppConfig))) };
}
