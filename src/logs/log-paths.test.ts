import { describe, expect, it } from 'vitest';
import { APP_DEFAULTS, type AppConfig } from '../config/app-config.js';
import { logPaths } from './log-paths.js';

const config = (over: Partial<AppConfig> = {}): AppConfig => ({
  ...APP_DEFAULTS,
  args: [],
  interpreter_args: [],
  env: {},
  stop_exit_codes: [],
  name: 'api',
  script: '/srv/api.js',
  interpreter: 'node',
  cwd: '/srv',
  ...over,
});

const LOGS = '/home/me/.sup/logs';

describe('logPaths', () => {
  it('puts a single instance under the logs folder by name', () => {
    expect(logPaths(config(), 0, LOGS)).toMatchObject({ out: `${LOGS}/api-out.log`, err: `${LOGS}/api-error.log` });
  });

  it('adds -<instance> for a multi-instance app', () => {
    expect(logPaths(config({ instances: 3 }), 2, LOGS)).toMatchObject({ out: `${LOGS}/api-out-2.log`, err: `${LOGS}/api-error-2.log` });
    expect(logPaths(config({ instances: 3 }), 0, LOGS)).toMatchObject({ out: `${LOGS}/api-out-0.log`, err: `${LOGS}/api-error-0.log` });
  });

  it('keeps one file for a multi-instance app with merge_logs', () => {
    expect(logPaths(config({ instances: 3, merge_logs: true }), 2, LOGS)).toMatchObject({
      out: `${LOGS}/api-out.log`,
      err: `${LOGS}/api-error.log`,
    });
  });

  it('uses a custom out_file and error_file as they are for one instance', () => {
    const paths = logPaths(config({ out_file: '/var/log/api.out', error_file: '/var/log/api.err.log' }), 0, LOGS);
    expect(paths).toMatchObject({ out: '/var/log/api.out', err: '/var/log/api.err.log' });
  });

  it('puts -<instance> before the extension of a custom file', () => {
    const paths = logPaths(config({ instances: 2, out_file: '/var/log/api.out.log', error_file: '/var/log/api.err' }), 1, LOGS);
    expect(paths).toMatchObject({ out: '/var/log/api.out-1.log', err: '/var/log/api-1.err' });
  });

  it('appends -<instance> to a custom file without an extension', () => {
    expect(logPaths(config({ instances: 2, out_file: '/var/log.d/api' }), 1, LOGS).out).toBe('/var/log.d/api-1');
  });

  it('leaves /dev/null untouched for every instance', () => {
    const paths = logPaths(config({ instances: 4, out_file: '/dev/null', error_file: '/dev/null' }), 3, LOGS);
    expect(paths).toMatchObject({ out: '/dev/null', err: '/dev/null' });
  });

  it('mixes a custom out_file with the default error file', () => {
    expect(logPaths(config({ instances: 2, out_file: '/dev/null' }), 1, LOGS)).toMatchObject({
      out: '/dev/null',
      err: `${LOGS}/api-error-1.log`,
    });
  });

  it('gives every instance its own files', () => {
    const outs = [0, 1, 2, 3].map((i) => logPaths(config({ instances: 4 }), i, LOGS).out);
    expect(new Set(outs).size).toBe(4);
  });
});
