import { describe, expect, it } from 'vitest';
import { APP_DEFAULTS, type AppConfig } from './app-config.js';
import { reconfigure } from './reconfigure.js';

const running: AppConfig = {
  ...APP_DEFAULTS,
  name: 'api',
  script: '/srv/api/server.js',
  cwd: '/srv/api',
  interpreter: 'node',
  env: { A: '1' },
} as AppConfig;

describe('reconfigure', () => {
  it('changes only the keys the flags name', () => {
    const next = reconfigure(running, { interpreter_args: '--max-old-space-size=256', cron_restart: '0 3 * * *' });
    expect(next).toEqual({ ...running, interpreter_args: ['--max-old-space-size=256'], cron_restart: '0 3 * * *' });
  });

  it("reads --watch against the app's own folder", () => {
    expect(reconfigure(running, { watch: true }).watch).toEqual(['/srv/api']);
  });

  it('leaves the config as it is without flags', () => {
    expect(reconfigure(running, {})).toBe(running);
  });

  it('reports a bad flag value like a bad key', () => {
    expect(() => reconfigure(running, { kill_timeout: 'soon' })).toThrow(/kill_timeout must be a duration/);
  });
});
