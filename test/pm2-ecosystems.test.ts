import { availableParallelism } from 'node:os';
import { basename, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SupError } from '../src/errors.js';
import { APP_DEFAULTS, appConfigSchema, type AppConfig } from '../src/config/app-config.js';
import { isEcosystemFile, type LoadOptions } from '../src/config/load.js';
import { check } from '../src/protocol/shape.js';
import { loadFixtureInNode as loadEcosystem } from './helpers/load-in-node.js';

/**
 * Ecosystem files written the way PM2's documentation and real projects write them
 * (test/fixtures/ecosystems/pm2), loaded through sup's loader: no daemon involved.
 */

const DIR = resolve(fileURLToPath(new URL('./fixtures/ecosystems/pm2', import.meta.url)));
const CPUS = availableParallelism();
const MB = 1024 * 1024;

const at = (...parts: string[]): string => join(DIR, ...parts);

async function load(file: string, options: LoadOptions = {}): Promise<{ apps: AppConfig[]; warnings: string[] }> {
  const result = await loadEcosystem(at(file), options);
  // Whatever the format, what comes out is something the daemon accepts.
  for (const app of result.apps) expect(check(appConfigSchema, app).ok, `${file}: ${app.name}`).toBe(true);
  return result;
}

function byName(apps: AppConfig[], name: string): AppConfig {
  const app = apps.find((a) => a.name === name);
  if (!app) throw new Error(`no app "${name}" among ${apps.map((a) => a.name).join(', ')}`);
  return app;
}

async function loadError(file: string, options: LoadOptions = {}): Promise<SupError> {
  try {
    await loadEcosystem(at(file), options);
  } catch (err) {
    expect(err).toBeInstanceOf(SupError);
    return err as SupError;
  }
  throw new Error(`expected ${file} to fail to load`);
}

const FILES = [
  'ecosystem.config.js',
  'cluster.config.js',
  'extras.config.js',
  'express.config.js',
  'workers.config.cjs',
  'ecosystem.config.mjs',
  'named-export.config.mjs',
  'process.json',
  'single-app.json',
  'ecosystem.yml',
  'process.yaml',
];

describe('PM2 ecosystem files: recognized as ecosystem files, not scripts', () => {
  it.each(FILES)('%s', (file) => {
    expect(isEcosystemFile(file)).toBe(true);
  });
});

describe('PM2 ecosystem files: ecosystem.config.js as `pm2 init` writes it (CommonJS, apps + deploy)', () => {
  it('loads both apps in file order, in fork mode with node', async () => {
    const { apps } = await load('ecosystem.config.js');
    expect(apps.map((a) => a.name)).toEqual(['API', 'WEB']);
    for (const app of apps) expect(app).toMatchObject({ exec_mode: 'fork', instances: 1, interpreter: 'node', cwd: DIR });
    expect(byName(apps, 'API').script).toBe(at('apps/api.js'));
    expect(byName(apps, 'WEB').script).toBe(at('apps/web.js'));
  });

  it('uses env alone without --env, numbers as strings', async () => {
    const { apps } = await load('ecosystem.config.js');
    expect(byName(apps, 'API').env).toEqual({ COMMON_VARIABLE: 'true', PORT: '3000' });
    expect(byName(apps, 'WEB').env).toEqual({});
  });

  it('merges env_production over env with --env production', async () => {
    const { apps } = await load('ecosystem.config.js', { envName: 'production' });
    expect(byName(apps, 'API').env).toEqual({ COMMON_VARIABLE: 'true', PORT: '8080', NODE_ENV: 'production' });
    expect(byName(apps, 'WEB').env).toEqual({});
  });

  it('merges env_staging over env with --env staging', async () => {
    const { apps } = await load('ecosystem.config.js', { envName: 'staging' });
    expect(byName(apps, 'API').env).toEqual({ COMMON_VARIABLE: 'true', PORT: '3000', NODE_ENV: 'staging' });
  });

  it('warns that the top-level deploy section is ignored, naming it', async () => {
    const { warnings } = await load('ecosystem.config.js');
    expect(warnings.filter((w) => /\bdeploy\b/.test(w))).toHaveLength(1);
  });

  it('keeps only the apps named with --only', async () => {
    const { apps } = await load('ecosystem.config.js', { only: ['WEB'] });
    expect(apps.map((a) => a.name)).toEqual(['WEB']);
  });

  it('refuses an --only name that is not in the file', async () => {
    const err = await loadError('ecosystem.config.js', { only: ['WEB', 'worker'] });
    expect(err.code).toBe('NOT_FOUND');
    expect(err.message).toMatch(/"worker"/);
  });
});

describe('PM2 ecosystem files: cluster.config.js (cluster mode, graceful start/stop, log files, __dirname)', () => {
  it('instances "max" with exec_mode "cluster_mode" is one instance per CPU in cluster mode', async () => {
    const { apps } = await load('cluster.config.js');
    expect(byName(apps, 'api-cluster')).toMatchObject({ instances: CPUS, exec_mode: 'cluster', interpreter: 'node' });
  });

  it('instances -1 is all CPUs but one, at least one', async () => {
    const { apps } = await load('cluster.config.js');
    expect(byName(apps, 'web-cluster')).toMatchObject({ instances: Math.max(1, CPUS - 1), exec_mode: 'cluster' });
  });

  it('instances without exec_mode runs a Node script in cluster mode, as PM2 does', async () => {
    const { apps } = await load('cluster.config.js');
    expect(byName(apps, 'sockets')).toMatchObject({ instances: 2, exec_mode: 'cluster', interpreter_args: ['--trace-warnings'] });
  });

  it('splits node_args given as a string into interpreter_args', async () => {
    const { apps } = await load('cluster.config.js');
    expect(byName(apps, 'api-cluster').interpreter_args).toEqual(['--max-old-space-size=512', '--enable-source-maps']);
  });

  it('splits an args string, keeping a quoted argument whole', async () => {
    const { apps } = await load('cluster.config.js');
    expect(byName(apps, 'web-cluster').args).toEqual(['--color', '--title', 'storefront web']);
  });

  it('reads sizes in binary units and timeouts in ms', async () => {
    const { apps } = await load('cluster.config.js');
    expect(byName(apps, 'api-cluster')).toMatchObject({
      max_memory_restart: 300 * MB,
      wait_ready: true,
      listen_timeout: 10_000,
      kill_timeout: 5000,
    });
    expect(byName(apps, 'web-cluster')).toMatchObject({
      max_memory_restart: 1024 * MB,
      shutdown_with_message: true,
      kill_timeout: APP_DEFAULTS.kill_timeout,
    });
  });

  it('keeps increment_var, instance_var and the log settings', async () => {
    const { apps } = await load('cluster.config.js');
    expect(byName(apps, 'api-cluster')).toMatchObject({
      increment_var: 'PORT',
      instance_var: 'INSTANCE_ID',
      merge_logs: true,
      log_date_format: 'YYYY-MM-DD HH:mm Z',
      time: false,
    });
    expect(byName(apps, 'web-cluster')).toMatchObject({ time: true, log_date_format: null, merge_logs: false });
  });

  it('keeps absolute log paths built with __dirname and resolves relative ones against cwd', async () => {
    const { apps } = await load('cluster.config.js');
    expect(byName(apps, 'api-cluster')).toMatchObject({ error_file: at('logs/api-error.log'), out_file: at('logs/api-out.log') });
    expect(byName(apps, 'web-cluster')).toMatchObject({ error_file: at('logs/web-err.log'), out_file: at('logs/web-out.log') });
  });

  it('gives each app env, or env + env_production with --env production', async () => {
    expect(byName((await load('cluster.config.js')).apps, 'api-cluster').env).toEqual({ NODE_ENV: 'development', PORT: '3000' });
    const { apps } = await load('cluster.config.js', { envName: 'production' });
    expect(byName(apps, 'api-cluster').env).toEqual({ NODE_ENV: 'production', PORT: '80' });
    expect(byName(apps, 'web-cluster').env).toEqual({});
  });

  it('has nothing to warn about', async () => {
    expect((await load('cluster.config.js')).warnings).toEqual([]);
  });
});

describe('PM2 ecosystem files: workers.config.cjs (.cjs in a "type": "module" project; python, binaries, cron)', () => {
  it('loads every app', async () => {
    const { apps, warnings } = await load('workers.config.cjs');
    expect(apps.map((a) => a.name)).toEqual(['scraper', 'nightly-report', 'metrics-agent', 'backup', 'sleeper']);
    expect(warnings).toEqual([]);
  });

  it('runs a .py script with interpreter "python3", args array kept as is', async () => {
    const { apps } = await load('workers.config.cjs');
    expect(byName(apps, 'scraper')).toMatchObject({
      script: at('apps/scraper.py'),
      interpreter: 'python3',
      exec_mode: 'fork',
      args: ['--queue', 'high priority', '--verbose'],
      namespace: 'jobs',
      env: { PYTHONUNBUFFERED: '1' },
    });
  });

  it('reads min_uptime "10s", max_restarts and restart_delay', async () => {
    const { apps } = await load('workers.config.cjs');
    expect(byName(apps, 'scraper')).toMatchObject({ min_uptime: 10_000, max_restarts: 5, restart_delay: 2000 });
  });

  it('resolves the script against a relative cwd; a cron job with autorestart false', async () => {
    const { apps } = await load('workers.config.cjs');
    expect(byName(apps, 'nightly-report')).toMatchObject({
      cwd: at('apps'),
      script: at('apps/report.js'),
      cron_restart: '30 2 * * *',
      autorestart: false,
      time: true,
      namespace: 'jobs',
    });
  });

  it('runs an executable with interpreter "none", args string with a quoted part', async () => {
    const { apps } = await load('workers.config.cjs');
    expect(byName(apps, 'metrics-agent')).toMatchObject({
      script: at('bin/metrics-agent'),
      interpreter: 'none',
      args: ['--interval', '15', '--tags', 'env=prod,team=core'],
      exp_backoff_restart_delay: 100,
      namespace: 'infra',
    });
  });

  it('runs a .sh script with bash; stop_exit_codes', async () => {
    const { apps } = await load('workers.config.cjs');
    expect(byName(apps, 'backup')).toMatchObject({
      interpreter: 'bash',
      cron_restart: '0 */6 * * *',
      autorestart: false,
      stop_exit_codes: [0],
    });
  });

  it('finds a bare program name with interpreter "none" on PATH, unless checkRunnable is false', async () => {
    const sleeper = byName((await load('workers.config.cjs')).apps, 'sleeper');
    expect(isAbsolute(sleeper.script)).toBe(true);
    expect(basename(sleeper.script)).toBe('sleep');
    expect(sleeper.args).toEqual(['infinity']);
    expect(byName((await load('workers.config.cjs', { checkRunnable: false })).apps, 'sleeper').script).toBe('sleep');
  });
});

describe('PM2 ecosystem files: ecosystem.config.mjs (ESM, export default; watch and restart settings)', () => {
  it('watch: true watches the app cwd, with ignore_watch and watch_delay', async () => {
    const { apps } = await load('ecosystem.config.mjs');
    expect(byName(apps, 'dev-server')).toMatchObject({
      script: at('apps/server.mjs'),
      interpreter: 'node',
      exec_mode: 'fork',
      watch: [DIR],
      ignore_watch: ['node_modules', 'logs', '*.log'],
      watch_delay: 1000,
    });
  });

  it('reads the restart settings', async () => {
    const { apps } = await load('ecosystem.config.mjs');
    expect(byName(apps, 'dev-server')).toMatchObject({ min_uptime: 10_000, max_restarts: 10, restart_delay: 4000 });
    expect(byName(apps, 'queue')).toMatchObject({ exp_backoff_restart_delay: 100, restart_delay: 0 });
  });

  it('resolves watched paths against a cwd computed from import.meta.url', async () => {
    const { apps } = await load('ecosystem.config.mjs');
    expect(byName(apps, 'queue')).toMatchObject({
      cwd: DIR,
      script: at('apps/worker.js'),
      watch: [at('apps'), at('config')],
      ignore_watch: [...APP_DEFAULTS.ignore_watch],
    });
  });

  it('merges env_production with --env production', async () => {
    const { apps } = await load('ecosystem.config.mjs', { envName: 'production' });
    expect(byName(apps, 'dev-server').env).toEqual({ NODE_ENV: 'production', DEBUG: 'app:*' });
  });
});

describe('PM2 ecosystem files: named-export.config.mjs (`export const apps`, which PM2 reads)', () => {
  it('loads the apps exported by name', async () => {
    const { apps } = await load('named-export.config.mjs', { envName: 'production' });
    expect(apps).toHaveLength(1);
    expect(apps[0]).toMatchObject({ name: 'esm-api', instances: 2, exec_mode: 'cluster', env: { NODE_ENV: 'production' } });
  });
});

describe('PM2 ecosystem files: process.json (PM2 JSON declaration)', () => {
  it('loads a cluster app with fixed instances and watched folders', async () => {
    const { apps, warnings } = await load('process.json');
    expect(warnings).toEqual([]);
    expect(byName(apps, 'api')).toMatchObject({
      instances: 4,
      exec_mode: 'cluster',
      watch: [at('apps')],
      ignore_watch: ['node_modules', 'logs'],
      merge_logs: true,
      log_date_format: 'YYYY-MM-DD HH:mm Z',
      max_memory_restart: 300 * MB,
    });
  });

  it('exec_mode "fork_mode", relative cwd, log files relative to cwd, combine_logs as merge_logs', async () => {
    const { apps } = await load('process.json');
    expect(byName(apps, 'worker')).toMatchObject({
      exec_mode: 'fork',
      instances: 1,
      cwd: at('apps'),
      script: at('apps/worker.js'),
      args: ['--concurrency', '4'],
      autorestart: true,
      max_restarts: 10,
      min_uptime: 5000,
      kill_timeout: 3000,
      error_file: at('apps/logs/worker.err.log'),
      out_file: at('apps/logs/worker.out.log'),
      merge_logs: true,
    });
  });

  it('merges env_production with --env production', async () => {
    const { apps } = await load('process.json', { envName: 'production' });
    expect(byName(apps, 'api').env).toEqual({ NODE_ENV: 'production', PORT: '8000' });
    expect(byName(apps, 'worker').env).toEqual({});
  });
});

describe('PM2 ecosystem files: single-app.json (one app object, no "apps")', () => {
  it('loads the object as the only app', async () => {
    const { apps } = await load('single-app.json');
    expect(apps).toHaveLength(1);
    expect(apps[0]).toMatchObject({
      name: 'app-name',
      exec_mode: 'cluster',
      instances: 2,
      wait_ready: true,
      listen_timeout: 10_000,
      kill_timeout: 5000,
    });
  });
});

describe('PM2 ecosystem files: ecosystem.yml (YAML)', () => {
  it('loads the apps, naming one without "name" after its script', async () => {
    const { apps, warnings } = await load('ecosystem.yml');
    expect(apps.map((a) => a.name)).toEqual(['api-app', 'worker', 'scraper']);
    expect(warnings).toEqual([]);
  });

  it('reads YAML scalars like JS values: sizes, durations, args strings, quoted cron', async () => {
    const { apps } = await load('ecosystem.yml');
    expect(byName(apps, 'api-app')).toMatchObject({ instances: 2, exec_mode: 'cluster', max_memory_restart: 512 * MB });
    expect(byName(apps, 'worker')).toMatchObject({
      exec_mode: 'fork',
      args: ['--concurrency', '2', '--queue', 'default'],
      min_uptime: 10_000,
      max_restarts: 3,
    });
    expect(byName(apps, 'scraper')).toMatchObject({
      interpreter: 'python3',
      cron_restart: '0 * * * *',
      autorestart: false,
      time: true,
    });
  });

  it('merges the env block picked with --env', async () => {
    const none = await load('ecosystem.yml');
    expect(byName(none.apps, 'api-app').env).toEqual({ NODE_ENV: 'development', PORT: '3000' });
    const staging = await load('ecosystem.yml', { envName: 'staging' });
    expect(byName(staging.apps, 'api-app').env).toEqual({ NODE_ENV: 'staging', PORT: '3100' });
    expect(byName(staging.apps, 'worker').env).toEqual({ NODE_ENV: 'development' });
    const production = await load('ecosystem.yml', { envName: 'production' });
    expect(byName(production.apps, 'api-app').env).toEqual({ NODE_ENV: 'production', PORT: '3000' });
  });
});

describe('PM2 ecosystem files: process.yaml (YAML anchors and << merge keys, as js-yaml reads them for PM2)', () => {
  it('applies the merged defaults, with the app own keys winning', async () => {
    const { apps, warnings } = await load('process.yaml');
    expect(warnings).toEqual([]);
    expect(apps.map((a) => a.name)).toEqual(['queue-high', 'queue-low']);
    expect(byName(apps, 'queue-high')).toMatchObject({
      args: ['--queue', 'high'],
      max_memory_restart: 200 * MB,
      kill_timeout: 8000,
      restart_delay: 1000,
      log_date_format: 'YYYY-MM-DD HH:mm:ss',
      env: { NODE_ENV: 'development' },
    });
    expect(byName(apps, 'queue-low')).toMatchObject({
      args: ['--queue', 'low'],
      max_memory_restart: 200 * MB,
      kill_timeout: 2000,
      env: { NODE_ENV: 'development', LOW_PRIORITY: '1' },
    });
  });
});

describe('PM2 ecosystem files: extras.config.js (PM2.io and deployment keys)', () => {
  const OUT_OF_SCOPE_KEYS = ['pmx', 'vizion', 'automation', 'force', 'post_update'];

  it('still loads the app', async () => {
    const { apps } = await load('extras.config.js');
    expect(apps).toHaveLength(1);
    expect(apps[0]).toMatchObject({ name: 'legacy', script: at('apps/legacy.cjs'), interpreter: 'node', exec_mode: 'fork' });
  });

  it.each(OUT_OF_SCOPE_KEYS)('warns that "%s" is ignored, naming the app and the key', async (key) => {
    const { warnings } = await load('extras.config.js');
    const about = warnings.filter((w) => w.includes(`"${key}"`));
    expect(about).toHaveLength(1);
    expect(about[0]).toMatch(/legacy/);
  });

  it('warns about the top-level deploy section as well', async () => {
    const { warnings } = await load('extras.config.js');
    expect(warnings.some((w) => /\bdeploy\b/.test(w))).toBe(true);
  });

  it('acts on treekill and autostart instead of warning about them', async () => {
    const { apps, warnings } = await load('extras.config.js');
    expect(apps[0]).toMatchObject({ treekill: false, autostart: true });
    expect(warnings.filter((w) => /"(treekill|autostart)"/.test(w))).toEqual([]);
  });
});

describe('PM2 ecosystem files: express.config.js (express-generator bin/www, a Node script without extension)', () => {
  it('runs ./bin/www with node in cluster mode, as PM2 does for a file that is not binary', async () => {
    const { apps } = await load('express.config.js');
    expect(apps[0]).toMatchObject({
      name: 'node-server',
      script: at('bin/www'),
      interpreter: 'node',
      exec_mode: 'cluster',
      instances: CPUS,
      wait_ready: true,
      kill_timeout: 30_000,
    });
  });
});
