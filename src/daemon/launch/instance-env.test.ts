import { describe, expect, it } from 'vitest';
import { APP_DEFAULTS, type AppConfig } from '../../config/app-config.js';
import { instanceEnv } from './instance-env.js';

const config = (over: Partial<AppConfig>): AppConfig =>
  ({ ...APP_DEFAULTS, name: 'api', script: '/srv/a.js', interpreter: 'node', cwd: '/srv', ...over }) as AppConfig;

describe('instanceEnv', () => {
  it('puts the app env over the shell env, and sup and PM2 variables over both', () => {
    const env = instanceEnv({ A: 'shell', B: 'shell' }, config({ env: { B: 'app' } }), 7, 1);
    expect(env).toMatchObject({ A: 'shell', B: 'app', NODE_APP_INSTANCE: '1', SUP_APP_NAME: 'api', SUP_ID: '7', pm_id: '7', name: 'api' });
  });

  it('adds the instance number to increment_var', () => {
    expect(instanceEnv({}, config({ env: { PORT: '3000' }, increment_var: 'PORT' }), 3, 2).PORT).toBe('3002');
  });

  it('makes Python write its output unbuffered unless the app says otherwise', () => {
    expect(instanceEnv({}, config({ interpreter: 'python3' }), 0, 0).PYTHONUNBUFFERED).toBe('1');
    expect(instanceEnv({}, config({ interpreter: 'python3', env: { PYTHONUNBUFFERED: '0' } }), 0, 0).PYTHONUNBUFFERED).toBe('0');
    expect(instanceEnv({}, config({}), 0, 0).PYTHONUNBUFFERED).toBeUndefined();
    // `python3 -m http.server` as a program (interpreter none) buffers just the same.
    expect(instanceEnv({}, config({ interpreter: 'none', script: '/usr/bin/python3' }), 0, 0).PYTHONUNBUFFERED).toBe('1');
  });
});
