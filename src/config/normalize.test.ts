import { describe, expect, it } from 'vitest';
import { SupError } from '../errors.js';
import { APP_DEFAULTS, appConfigSchema, type AppConfig } from './app-config.js';
import { normalizeApps, type NormalizeContext } from './normalize.js';
import { check } from '../protocol/shape.js';

const ctx = (over: Partial<NormalizeContext> = {}): NormalizeContext => ({
  source: 'eco.json',
  baseDir: '/srv/app',
  cpuCount: 4,
  ...over,
});

/** The only app of a document that must normalize. */
function one(doc: unknown, over: Partial<NormalizeContext> = {}): AppConfig {
  const { apps } = normalizeApps(doc, ctx(over));
  expect(apps).toHaveLength(1);
  return apps[0]!;
}

/** The INVALID_CONFIG error a document must produce. */
function configError(doc: unknown, over: Partial<NormalizeContext> = {}): SupError {
  try {
    normalizeApps(doc, ctx(over));
  } catch (err) {
    expect(err).toBeInstanceOf(SupError);
    expect((err as SupError).code).toBe('INVALID_CONFIG');
    return err as SupError;
  }
  throw new Error(`expected INVALID_CONFIG for ${JSON.stringify(doc)}`);
}

describe('normalizeApps: document shapes', () => {
  it('accepts {apps: [...]}', () => {
    const { apps } = normalizeApps({ apps: [{ script: 'a.js' }, { script: 'b.js' }] }, ctx());
    expect(apps.map((a) => a.name)).toEqual(['a', 'b']);
  });

  it('accepts a single app object', () => {
    expect(one({ script: 'a.js' }).name).toBe('a');
  });

  it('accepts a bare array of apps', () => {
    const { apps } = normalizeApps([{ script: 'a.js' }, { script: 'b.js' }], ctx());
    expect(apps.map((a) => a.name)).toEqual(['a', 'b']);
  });

  it('accepts "apps" holding one object instead of an array', () => {
    expect(one({ apps: { script: 'a.js' } }).name).toBe('a');
  });

  it('keeps the apps in file order', () => {
    const { apps } = normalizeApps({ apps: [{ script: 'z.js' }, { script: 'a.js' }, { script: 'm.js' }] }, ctx());
    expect(apps.map((a) => a.name)).toEqual(['z', 'a', 'm']);
  });
});

describe('normalizeApps: defaults', () => {
  it('fills every unset key from APP_DEFAULTS', () => {
    expect(one({ script: 'server.js' })).toEqual({
      ...APP_DEFAULTS,
      name: 'server',
      script: '/srv/app/server.js',
      interpreter: 'node',
      cwd: '/srv/app',
    });
  });

  it('produces configs the daemon accepts', () => {
    const { apps } = normalizeApps(
      { apps: [{ script: 'a.js' }, { script: 'b.py', instances: 2 }, { script: 'redis-server', name: 'redis' }] },
      ctx(),
    );
    for (const app of apps) expect(check(appConfigSchema, app).ok).toBe(true);
  });

  it.each([
    ['server.js', 'server'],
    ['lib/worker.mjs', 'worker'],
    ['redis-server', 'redis-server'],
    ['123.js', 'app-123'],
    ['all.js', 'app-all'],
    ['my app.js', 'my-app'],
  ])('names an app with script %j "%s" by default', (script, name) => {
    expect(one({ script }).name).toBe(name);
  });

  it('trims the name', () => {
    expect(one({ script: 'a.js', name: '  api  ' }).name).toBe('api');
  });
});

describe('normalizeApps: interpreter', () => {
  it.each([
    ['app.js', 'node'],
    ['app.cjs', 'node'],
    ['app.mjs', 'node'],
    ['app.py', 'python3'],
    ['app.sh', 'bash'],
    ['app.rb', 'ruby'],
    ['./bin/server', 'none'],
    ['app.txt', 'none'],
    ['redis-server', 'none'],
  ])('runs %j with %j', (script, interpreter) => {
    expect(one({ script }).interpreter).toBe(interpreter);
  });

  it('lets an explicit interpreter win over the extension', () => {
    expect(one({ script: 'app.js', interpreter: 'bun' }).interpreter).toBe('bun');
  });

  it('keeps a bare command with interpreter "none" as-is, to be found on PATH', () => {
    expect(one({ script: 'redis-server' }).script).toBe('redis-server');
    expect(one({ script: 'redis-server', interpreter: 'none' }).script).toBe('redis-server');
  });

  it('resolves a command with a slash against cwd even with interpreter "none"', () => {
    expect(one({ script: './bin/server' }).script).toBe('/srv/app/bin/server');
  });

  it('resolves a bare script name that has an interpreter, as a file', () => {
    expect(one({ script: 'app.py' }).script).toBe('/srv/app/app.py');
  });
});

describe('normalizeApps: paths', () => {
  it('resolves a relative cwd against baseDir and the script against cwd', () => {
    const app = one({ script: 'app.js', cwd: 'services/api' });
    expect(app.cwd).toBe('/srv/app/services/api');
    expect(app.script).toBe('/srv/app/services/api/app.js');
  });

  it('keeps an absolute cwd and script', () => {
    const app = one({ script: '/opt/x/app.js', cwd: '/var/run' });
    expect(app.cwd).toBe('/var/run');
    expect(app.script).toBe('/opt/x/app.js');
  });

  it('resolves ../ in the script', () => {
    expect(one({ script: '../shared/app.js' }).script).toBe('/srv/shared/app.js');
  });

  it('resolves out_file and error_file against cwd', () => {
    const app = one({ script: 'a.js', cwd: 'sub', out_file: 'logs/out.log', error_file: '/var/log/err.log' });
    expect(app.out_file).toBe('/srv/app/sub/logs/out.log');
    expect(app.error_file).toBe('/var/log/err.log');
  });
});

describe('normalizeApps: values', () => {
  it('reads durations with units', () => {
    const app = one({ script: 'a.js', min_uptime: '5s', kill_timeout: '500ms', restart_delay: '1m', exp_backoff_restart_delay: 100 });
    expect(app).toMatchObject({ min_uptime: 5000, kill_timeout: 500, restart_delay: 60_000, exp_backoff_restart_delay: 100 });
  });

  it('splits an args string and keeps an args array', () => {
    expect(one({ script: 'a.js', args: "--port 3000 'a b'" }).args).toEqual(['--port', '3000', 'a b']);
    expect(one({ script: 'a.js', args: ['--port', '3000'] }).args).toEqual(['--port', '3000']);
  });

  it('accepts node_args as an alias of interpreter_args', () => {
    expect(one({ script: 'a.js', node_args: '--inspect --max-old-space-size=512' }).interpreter_args).toEqual([
      '--inspect',
      '--max-old-space-size=512',
    ]);
  });

  it('prefers interpreter_args over node_args', () => {
    expect(one({ script: 'a.js', node_args: '--a', interpreter_args: ['--b'] }).interpreter_args).toEqual(['--b']);
  });

  it('accepts combine_logs as an alias of merge_logs', () => {
    expect(one({ script: 'a.js', combine_logs: true }).merge_logs).toBe(true);
    expect(one({ script: 'a.js', merge_logs: true }).merge_logs).toBe(true);
  });

  it('normalizes kill_signal names', () => {
    expect(one({ script: 'a.js', kill_signal: 'int' }).kill_signal).toBe('SIGINT');
    expect(one({ script: 'a.js', kill_signal: 'sighup' }).kill_signal).toBe('SIGHUP');
  });

  it('accepts a single stop exit code', () => {
    expect(one({ script: 'a.js', stop_exit_codes: 0 }).stop_exit_codes).toEqual([0]);
    expect(one({ script: 'a.js', stop_exit_codes: [0, 2] }).stop_exit_codes).toEqual([0, 2]);
  });

  it.each<[unknown, number]>([
    ['max', 4],
    [0, 4],
    [-1, 3],
    [-100, 1],
    ['3', 3],
    [2, 2],
  ])('resolves instances %j to %d with 4 CPUs', (instances, n) => {
    expect(one({ script: 'a.js', instances }).instances).toBe(n);
  });

  it('treats an undefined value as unset', () => {
    expect(one({ script: 'a.js', kill_timeout: undefined }).kill_timeout).toBe(APP_DEFAULTS.kill_timeout);
  });
});

describe('normalizeApps: env', () => {
  const doc = { script: 'a.js', env: { A: '1', B: '2', PORT: 3000, DEBUG: false }, env_production: { B: 'prod', C: 3 } };

  it('stringifies env values', () => {
    expect(one(doc).env).toEqual({ A: '1', B: '2', PORT: '3000', DEBUG: 'false' });
  });

  it('merges env_<name> over env with --env <name>', () => {
    expect(one(doc, { envName: 'production' }).env).toEqual({ A: '1', B: 'prod', PORT: '3000', DEBUG: 'false', C: '3' });
  });

  it('keeps env alone when the named block does not exist', () => {
    expect(one(doc, { envName: 'staging' }).env).toEqual({ A: '1', B: '2', PORT: '3000', DEBUG: 'false' });
  });

  it('uses env_<name> alone when there is no env', () => {
    expect(one({ script: 'a.js', env_dev: { X: 'y' } }, { envName: 'dev' }).env).toEqual({ X: 'y' });
  });
});

describe('normalizeApps: overrides', () => {
  it('lets overrides win over file values', () => {
    const app = one(
      { script: 'a.js', name: 'file', kill_timeout: 100, max_restarts: 3 },
      { overrides: { name: 'cli', kill_timeout: '2s' } },
    );
    expect(app).toMatchObject({ name: 'cli', kill_timeout: 2000, max_restarts: 3 });
  });

  it('applies overrides to every app', () => {
    const { apps } = normalizeApps({ apps: [{ script: 'a.js' }, { script: 'b.js' }] }, ctx({ overrides: { kill_signal: 'SIGINT' } }));
    expect(apps.map((a) => a.kill_signal)).toEqual(['SIGINT', 'SIGINT']);
  });

  it('validates overrides like file values', () => {
    expect(configError({ script: 'a.js', name: 'api' }, { overrides: { max_restarts: -1 } }).message).toBe(
      'eco.json: apps[0] "api": max_restarts must be a whole number ≥ 0, got -1',
    );
  });
});

describe('normalizeApps: warnings', () => {
  it.each([
    ['treekill', false],
    ['autostart', false],
  ])('accepts %j with its PM2 meaning and no warning', (key, value) => {
    const { apps, warnings } = normalizeApps({ script: 'a.js', name: 'api', [key]: value }, ctx());
    expect(apps[0]![key as 'treekill' | 'autostart']).toBe(false);
    expect(warnings).toEqual([]);
  });

  it('resolves env_file against the app cwd (the file is read by the loader, not here)', () => {
    const { apps, warnings } = normalizeApps({ script: 'a.js', cwd: 'srv', env_file: '.env' }, ctx());
    expect(apps[0]!.env_file).toBe('/srv/app/srv/.env');
    expect(warnings).toEqual([]);
  });

  it('does not take env_file for an env block with --env file', () => {
    const app = one({ script: 'a.js', env_file: '.env', env: { A: '1' } }, { envName: 'file' });
    expect(app.env).toEqual({ A: '1' });
  });

  it('ignores "$schema", the editors\' schema reference', () => {
    const { apps, warnings } = normalizeApps({ $schema: './ecosystem.schema.json', apps: [{ $schema: 'x', script: 'a.js' }] }, ctx());
    expect(apps).toHaveLength(1);
    expect(warnings).toEqual([]);
  });

  it.each([
    ['deploy', { production: {} }],
    ['pmx', true],
    ['vizion', false],
  ])('accepts out-of-scope %j with a warning', (key, value) => {
    const { apps, warnings } = normalizeApps({ script: 'a.js', [key]: value }, ctx());
    expect(apps).toHaveLength(1);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(new RegExp(`^eco\\.json: apps\\[0\\]: "${key}" is a PM2 key sup ignores \\(.+\\)$`));
  });

  it('collects warnings from every app', () => {
    const { warnings } = normalizeApps(
      {
        apps: [
          { script: 'a.js', pmx: true },
          { script: 'b.js', deploy: {} },
        ],
      },
      ctx(),
    );
    expect(warnings).toHaveLength(2);
  });

  it('returns no warnings for a clean file', () => {
    expect(normalizeApps({ script: 'a.js' }, ctx()).warnings).toEqual([]);
  });
});

const DURATION = 'must be a duration in ms or like "500ms", "5s", "1m"';
const NAME = 'must be a name without spaces or slashes that is not "all"';
const ENV = 'must be an object of values (strings; numbers, booleans and objects are written as PM2 writes them)';
const ARGV = 'must be a string or an array of strings';
const TEXT = 'must be a non-empty string';

describe('normalizeApps: invalid configs', () => {
  const cases: { name: string; input: unknown; expected: string; context?: Partial<NormalizeContext> }[] = [
    {
      name: 'a word as kill_timeout, in the second app',
      input: { apps: [{ script: 'a.js' }, { name: 'api', script: 'api.js', kill_timeout: 'fast' }] },
      expected: `eco.json: apps[1] "api": kill_timeout ${DURATION}, got "fast"`,
    },
    { name: 'a negative min_uptime', input: { script: 'a.js', min_uptime: -1 }, expected: `apps[0]: min_uptime ${DURATION}, got -1` },
    { name: 'a spelled-out unit', input: { script: 'a.js', restart_delay: '5 sec' }, expected: `restart_delay ${DURATION}, got "5 sec"` },
    {
      name: 'a boolean duration',
      input: { script: 'a.js', exp_backoff_restart_delay: true },
      expected: `exp_backoff_restart_delay ${DURATION}, got true`,
    },
    { name: 'a week unit', input: { script: 'a.js', kill_timeout: '1w' }, expected: `kill_timeout ${DURATION}, got "1w"` },
    {
      name: 'a word as listen_timeout',
      input: { script: 'a.js', listen_timeout: 'soon' },
      expected: `listen_timeout ${DURATION}, got "soon"`,
    },
    {
      name: 'a negative max_restarts',
      input: { script: 'a.js', max_restarts: -1 },
      expected: 'max_restarts must be a whole number ≥ 0, got -1',
    },
    {
      name: 'a fractional max_restarts',
      input: { script: 'a.js', max_restarts: 2.5 },
      expected: 'max_restarts must be a whole number ≥ 0, got 2.5',
    },
    {
      name: 'a string autorestart',
      input: { script: 'a.js', autorestart: 'yes' },
      expected: 'autorestart must be true or false, got "yes"',
    },
    { name: 'a number merge_logs', input: { script: 'a.js', merge_logs: 1 }, expected: 'merge_logs must be true or false, got 1' },
    {
      name: 'a string combine_logs',
      input: { script: 'a.js', combine_logs: 'true' },
      expected: 'combine_logs must be true or false, got "true"',
    },
    { name: 'a string wait_ready', input: { script: 'a.js', wait_ready: 'no' }, expected: 'wait_ready must be true or false, got "no"' },
    { name: 'the name "all"', input: { script: 'a.js', name: 'all' }, expected: `apps[0] "all": name ${NAME}, got "all"` },
    { name: 'a name with a space', input: { script: 'a.js', name: 'my app' }, expected: `name ${NAME}, got "my app"` },
    { name: 'a name with a slash', input: { script: 'a.js', name: 'a/b' }, expected: `name ${NAME}, got "a/b"` },
    { name: 'an empty name', input: { script: 'a.js', name: '' }, expected: `name ${NAME}, got ""` },
    { name: 'a blank name', input: { script: 'a.js', name: '   ' }, expected: `name ${NAME}, got "   "` },
    { name: 'an empty script', input: { script: '' }, expected: `eco.json: apps[0]: script ${TEXT}, got ""` },
    { name: 'a number as script', input: { script: 42 }, expected: `script ${TEXT}, got 42` },
    { name: 'a null script', input: { script: null }, expected: `script ${TEXT}, got null` },
    { name: 'an empty interpreter', input: { script: 'a.js', interpreter: '' }, expected: `interpreter ${TEXT}, got ""` },
    { name: 'a boolean cwd', input: { script: 'a.js', cwd: false }, expected: `cwd ${TEXT}, got false` },
    { name: 'an empty out_file', input: { script: 'a.js', out_file: '' }, expected: `out_file ${TEXT}, got ""` },
    { name: 'a number as error_file', input: { script: 'a.js', error_file: 7 }, expected: `error_file ${TEXT}, got 7` },
    { name: 'an empty namespace', input: { script: 'a.js', namespace: '' }, expected: `namespace ${TEXT}, got ""` },
    { name: 'an empty instance_var', input: { script: 'a.js', instance_var: '' }, expected: `instance_var ${TEXT}, got ""` },
    { name: 'env as a string', input: { script: 'a.js', env: 'A=1' }, expected: `env ${ENV}, got "A=1"` },
    { name: 'env as an array', input: { script: 'a.js', env: ['A=1'] }, expected: `env ${ENV}, got ["A=1"]` },
    {
      name: 'an env_<name> block that is not an object',
      input: { script: 'a.js', env_production: 'x' },
      expected: `env_production ${ENV}, got "x"`,
    },
    { name: 'a number as args', input: { script: 'a.js', args: 42 }, expected: `args ${ARGV}, got 42` },
    { name: 'a number among args', input: { script: 'a.js', args: ['a', 1] }, expected: `args ${ARGV}, got ["a",1]` },
    {
      name: 'an object as interpreter_args',
      input: { script: 'a.js', interpreter_args: {} },
      expected: `interpreter_args ${ARGV}, got {}`,
    },
    { name: 'a number as node_args', input: { script: 'a.js', node_args: 5 }, expected: `node_args ${ARGV}, got 5` },
    {
      name: 'fractional instances',
      input: { script: 'a.js', instances: 2.5 },
      expected: 'instances must be a whole number, "max", or a negative number (CPUs minus n), got 2.5',
    },
    {
      name: 'a word as instances',
      input: { script: 'a.js', instances: 'many' },
      expected: 'instances must be a whole number, "max", or a negative number (CPUs minus n), got "many"',
    },
    {
      name: 'an unknown exec_mode',
      input: { script: 'a.js', exec_mode: 'thread' },
      expected: 'exec_mode must be "fork" or "cluster", got "thread"',
    },
    {
      name: 'an unknown signal',
      input: { script: 'a.js', kill_signal: 'SIGFOO' },
      expected: 'kill_signal must be a signal name such as "SIGTERM" or "SIGINT", got "SIGFOO"',
    },
    {
      name: 'a signal number',
      input: { script: 'a.js', kill_signal: 9 },
      expected: 'kill_signal must be a signal name such as "SIGTERM" or "SIGINT", got 9',
    },
    {
      name: 'a fractional stop exit code',
      input: { script: 'a.js', stop_exit_codes: [0, 1.5] },
      expected: 'stop_exit_codes[1] must be an exit code or an array of exit codes, got [0,1.5]',
    },
    {
      name: 'a bad increment_var',
      input: { script: 'a.js', increment_var: '1PORT' },
      expected: 'increment_var must be an environment variable name such as "PORT", got "1PORT"',
    },
    {
      name: 'a misspelled max_restarts',
      input: { script: 'a.js', max_restart: 3 },
      expected: 'apps[0]: unknown key "max_restart"; did you mean "max_restarts"?',
    },
    {
      name: 'a misspelled script next to a good one',
      input: { script: 'a.js', scirpt: 'b.js' },
      expected: 'unknown key "scirpt"; did you mean "script"?',
    },
    { name: 'a misspelled watch', input: { script: 'a.js', wtach: true }, expected: 'unknown key "wtach"; did you mean "watch"?' },
    {
      name: 'a bad memory limit',
      input: { script: 'a.js', max_memory_restart: '200mb' },
      expected: 'max_memory_restart must be a size like "200M", "1G", "512K" or a number of bytes, got "200mb"',
    },
    {
      name: 'a bad cron expression',
      input: { script: 'a.js', cron_restart: '61 * * * *' },
      expected: 'cron_restart must be a cron expression',
    },
    { name: 'a bad log size', input: { script: 'a.js', log_max_size: 'big' }, expected: 'log_max_size must be a size like "10M"' },
    {
      name: 'a misspelled min_uptime',
      input: { script: 'a.js', min_uptim: '1s' },
      expected: 'unknown key "min_uptim"; did you mean "min_uptime"?',
    },
    {
      name: 'a key like nothing known',
      input: { script: 'a.js', zzzzzzzz_qqq: 1 },
      expected: 'eco.json: apps[0]: unknown key "zzzzzzzz_qqq"',
    },
    {
      name: 'a missing script',
      input: { name: 'api' },
      expected: 'eco.json: apps[0] "api": "script" is required (the file or program to run)',
    },
    { name: 'an empty app object', input: {}, expected: 'eco.json: apps[0]: "script" is required' },
    {
      name: 'a missing script in the second app',
      input: [{ script: 'a.js' }, { name: 'b' }],
      expected: 'eco.json: apps[1] "b": "script" is required',
    },
    {
      name: 'two apps with one name',
      input: {
        apps: [
          { script: 'a.js', name: 'api' },
          { script: 'b.js', name: 'api' },
        ],
      },
      expected: 'eco.json: two apps are named "api"; names must be unique',
    },
    {
      name: 'two scripts with one default name',
      input: [{ script: 'a/server.js' }, { script: 'b/server.js' }],
      expected: 'eco.json: two apps are named "server"; names must be unique',
    },
    { name: 'an empty apps array', input: { apps: [] }, expected: 'eco.json: "apps" is empty; expected at least one app' },
    { name: 'an empty document array', input: [], expected: 'eco.json: "apps" is empty; expected at least one app' },
    { name: 'a number as an app', input: { apps: [42] }, expected: 'eco.json: apps[0] must be an object with at least "script", got 42' },
    {
      name: 'a string as an app',
      input: { apps: ['server.js'] },
      expected: 'eco.json: apps[0] must be an object with at least "script", got "server.js"',
    },
    {
      name: 'a null app',
      input: [{ script: 'a.js' }, null],
      expected: 'eco.json: apps[1] must be an object with at least "script", got null',
    },
    {
      name: 'an array as an app',
      input: [[{ script: 'a.js' }]],
      expected: 'eco.json: apps[0] must be an object with at least "script", got [{"script":"a.js"}]',
    },
    { name: 'a null document', input: null, expected: 'eco.json: the file defines no apps (it is empty or exports nothing)' },
    { name: 'apps: null', input: { apps: null }, expected: 'eco.json: apps[0] must be an object with at least "script", got null' },
    {
      name: 'a bad value from the command line',
      input: { script: 'a.js', kill_timeout: 'fast' },
      context: { source: 'command line' },
      expected: `command line: kill_timeout ${DURATION}, got "fast"`,
    },
    {
      name: 'a long value, shortened',
      input: { script: 'a.js', cwd: ['x'.repeat(100)] },
      expected: `cwd ${TEXT}, got ["${'x'.repeat(55)}...`,
    },
  ];

  it('has at least 30 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
  });

  it.each(cases)('reports $name', ({ input, expected, context }) => {
    expect(configError(input, context).message).toContain(expected);
  });

  it('reports each problem on its own line', () => {
    const err = configError({ script: 'a.js', kill_timeout: 'fast', max_restarts: -1, foo: 1 });
    expect(err.message.split('\n')).toEqual([
      `eco.json: apps[0]: kill_timeout ${DURATION}, got "fast"`,
      'eco.json: apps[0]: max_restarts must be a whole number ≥ 0, got -1',
      'eco.json: apps[0]: unknown key "foo"',
    ]);
  });

  it('reports the problems of every app, not just the first', () => {
    const err = configError({
      apps: [
        { name: 'web', script: 'web.js', autorestart: 'yes' },
        { name: 'ok', script: 'ok.js' },
        { name: 'worker', kill_signal: 'SIGFOO' },
      ],
    });
    const lines = err.message.split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^eco\.json: apps\[0\] "web": autorestart /);
    expect(lines[1]).toMatch(/^eco\.json: apps\[2\] "worker": kill_signal /);
    expect(lines[2]).toBe('eco.json: apps[2] "worker": "script" is required (the file or program to run)');
  });

  it('does not suggest a key when nothing is close', () => {
    expect(configError({ script: 'a.js', zzzzzzzz_qqq: 1 }).message).not.toContain('did you mean');
  });

  it('labels the only app of the command line without apps[0]', () => {
    expect(configError({ script: 'a.js', max_restarts: -1 }, { source: 'command line' }).message).not.toContain('apps[');
  });

  it('labels the only app of a file with apps[0]', () => {
    expect(configError({ script: 'a.js', max_restarts: -1 }).message).toMatch(/^eco\.json: apps\[0\]: /);
  });

  // Bug (not reachable from JSON files, only through the exported function): a "script" key holding undefined
  // is neither parsed nor reported as missing, and the app is silently dropped. Got { apps: [], warnings: [] }.
  it('reports a script that is present but undefined as missing', () => {
    expect(configError({ script: undefined }).message).toContain('"script" is required');
  });
});

describe('normalizeApps: what PM2 accepts', () => {
  it('reads numbers given as strings', () => {
    const app = one({ script: 'a.js', max_restarts: '3', log_retain: '5' });
    expect([app.max_restarts, app.log_retain]).toEqual([3, 5]);
  });

  it('takes a number as a name, as PM2 does', () => {
    expect(one({ script: 'a.js', name: 455 }).name).toBe('455');
    expect(one({ script: 'a.js', name: '42' }).name).toBe('42');
  });

  it('writes env objects as JSON and drops null values', () => {
    expect(one({ script: 'a.js', env: { A: { n: 1 }, B: null, C: true } }).env).toEqual({ A: '{"n":1}', C: 'true' });
  });

  it('takes stop_exit_codes as a string', () => {
    expect(one({ script: 'a.js', stop_exit_codes: '0' }).stop_exit_codes).toEqual([0]);
  });

  it('runs N copies in fork mode, with a warning, when cluster mode is asked for a program that is not Node', () => {
    const { apps, warnings } = normalizeApps({ script: 'a.py', name: 'py', exec_mode: 'cluster', instances: 2 }, ctx());
    expect([apps[0]!.exec_mode, apps[0]!.instances]).toEqual(['fork', 2]);
    expect(warnings).toEqual([
      'eco.json: apps[0] "py": cluster mode runs Node scripts only (interpreter "python3"); runs in fork mode, 2 copies that share no port',
    ]);
  });

  it('runs an execute_command app in fork mode', () => {
    expect(one({ script: 'a.js', instances: 2, execute_command: true }).exec_mode).toBe('fork');
  });

  it.each(['io', 'v8', 'event_loop_inspector', 'deep_monitoring', 'username', 'install_url', 'write'])(
    'ignores PM2 Plus and other PM2-only key %j with a warning',
    (key) => {
      const { apps, warnings } = normalizeApps({ script: 'a.js', [key]: true }, ctx());
      expect(apps).toHaveLength(1);
      expect(warnings[0]).toContain(`"${key}" is a PM2 key sup ignores`);
    },
  );

  it('never suggests an ignored key for a typo', () => {
    expect(configError({ script: 'a.js', io2: 1 }).message).not.toContain('"io"');
  });

  it('reads camelCase spellings and cmd', () => {
    const app = one({ cmd: 'a.js', maxRestarts: 4, killTimeout: 100 });
    expect([app.script, app.max_restarts, app.kill_timeout]).toEqual(['/srv/app/a.js', 4, 100]);
  });

  it('reads apps from a top-level "pm2" list', () => {
    expect(normalizeApps({ pm2: [{ script: 'a.js' }] }, ctx()).apps.map((a) => a.name)).toEqual(['a']);
  });

  it('prefixes names and appends the env name when asked', () => {
    const app = one({ script: 'a.js', name: 'api', name_prefix: 'eu-', append_env_to_name: true, env_prod: {} }, { envName: 'prod' });
    expect(app.name).toBe('eu-api-prod');
  });
});

describe('normalizeApps: TypeScript', () => {
  const probe = (packages: string[] = []) => ({
    isFile: () => true,
    isDirectory: () => true,
    shebang: () => undefined,
    hasPackage: (name: string) => packages.includes(name),
  });

  it('runs .ts with Node itself where Node strips types', () => {
    const app = one({ script: 'server.ts' }, { typescript: 'native', files: probe() });
    expect([app.interpreter, app.interpreter_args]).toEqual(['node', []]);
  });

  it('adds --experimental-strip-types on Node 22.6 to 22.17', () => {
    expect(one({ script: 'server.mts' }, { typescript: 'flag', files: probe() }).interpreter_args).toEqual(['--experimental-strip-types']);
  });

  it("uses the project's tsx on a Node without type stripping", () => {
    expect(one({ script: 'server.ts', instances: 2 }, { typescript: 'none', files: probe(['tsx']) })).toMatchObject({
      interpreter: 'node',
      interpreter_args: ['--import', 'tsx'],
      exec_mode: 'cluster',
    });
  });

  it('runs .tsx with tsx even where Node strips types (Node does not compile JSX)', () => {
    expect(one({ script: 'page.tsx' }, { typescript: 'native', files: probe(['tsx']) }).interpreter_args).toEqual(['--import', 'tsx']);
    expect(configError({ script: 'page.tsx' }, { typescript: 'native', files: probe() }).message).toContain('does not compile JSX');
  });

  it('says what it needs when neither is there', () => {
    expect(configError({ script: 'server.ts' }, { typescript: 'none', files: probe() }).message).toContain('npm install --save-dev tsx');
  });

  it('resolves a relative interpreter from the caller folder', () => {
    const files = { ...probe(), isFile: (p: string) => p === '/home/me/node_modules/.bin/tsx' || p.endsWith('.ts') };
    const app = one({ script: 'a.ts', interpreter: './node_modules/.bin/tsx' }, { callerDir: '/home/me', files });
    expect(app.interpreter).toBe('/home/me/node_modules/.bin/tsx');
  });
});

describe('normalizeApps: uid and gid', () => {
  const accounts = { uid: (n: string) => (n === 'www' ? 33 : undefined), gid: (n: string) => (n === 'www' ? 33 : undefined) };
  it('resolves names to ids (PM2 reads "user" as uid)', () => {
    expect(one({ script: 'a.js', user: 'www', gid: 'www' }, { accounts })).toMatchObject({ uid: 33, gid: 33 });
    expect(one({ script: 'a.js', uid: 1000 }, { accounts })).toMatchObject({ uid: 1000, gid: null });
  });
  it('names an account that does not exist', () => {
    expect(configError({ script: 'a.js', uid: 'ghost' }, { accounts }).message).toContain('uid "ghost" is no user on this machine');
  });
});
