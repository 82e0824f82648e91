import { describe, expect, it } from 'vitest';
import { APP_DEFAULTS, type AppConfig } from '../../config/app-config.js';
import type { ProcessDescription } from '../../protocol/messages.js';
import { processInfo } from '../../protocol/process-info.test-helper.js';
import { pm2Process } from './pm2-shape.js';

function described(instance: number, config: Partial<AppConfig>, watching: boolean | null): ProcessDescription {
  const stats = { current: null, peak: null, average: null };
  return {
    ...processInfo({
      id: 4 + instance,
      instance,
      pid: 100 + instance,
      status: watching === false ? 'stopped' : 'online',
      mode: 'cluster',
      restarts: 2,
      cpu: 1.25,
      memory: 2048,
      uptime: 1000,
    }),
    config: { ...APP_DEFAULTS, name: 'api', script: '/app/server.js', cwd: '/app', ...config } as AppConfig,
    logs: { out: '/logs/api-out.log', err: '/logs/api-error.log', combined: null },
    created_at: 1,
    started_at: 2,
    next_restart_at: null,
    monitor: { cpu: stats, memory: stats, main_cpu: null, main_memory: null, memory_limit: null, interval_ms: 1000 },
    triggers: { watch: watching === null ? null : { paths: ['.'], ignored: [], delay_ms: 100, active: watching }, cron: null },
    exits: [],
    hook_failures: [],
  };
}

describe('pm2Process (the shape of `pm2 jlist`)', () => {
  it('gives each instance its own increment_var value, a number, on pm2_env and its env', () => {
    const config = { increment_var: 'PORT', env: { PORT: '3000', A: 'b' }, instance_var: 'NODE_APP_INSTANCE' };
    const second = pm2Process(described(1, config, null)) as { pm2_env: Record<string, unknown> & { env: Record<string, unknown> } };
    expect(second.pm2_env.PORT).toBe(3001);
    expect(second.pm2_env.env.PORT).toBe(3001);
    expect(second.pm2_env.NODE_APP_INSTANCE).toBe(1);
    // The instance number is on pm2_env only, as PM2 has it: once per process in prettylist.
    expect(second.pm2_env.env).toEqual({ PORT: 3001, A: 'b', pm_id: 5, name: 'api' });
  });

  it('shows watch as PM2 does: on while watched, off once stopped or never asked for', () => {
    const watched = (w: boolean | null) => (pm2Process(described(0, {}, w)) as { pm2_env: { watch: boolean } }).pm2_env.watch;
    expect([watched(true), watched(false), watched(null)]).toEqual([true, false, false]);
  });

  it('fills the fields scripts read from pm2 jlist', () => {
    const p = pm2Process(described(0, {}, null)) as Record<string, any>;
    expect({ pid: p.pid, pm_id: p.pm_id, name: p.name, monit: p.monit }).toEqual({
      pid: 100,
      pm_id: 4,
      name: 'api',
      monit: { memory: 2048, cpu: 1.3 },
    });
    expect([p.pm2_env.status, p.pm2_env.restart_time, p.pm2_env.exec_mode, p.pm2_env.pm_uptime]).toEqual(['online', 2, 'cluster_mode', 2]);
  });
});
