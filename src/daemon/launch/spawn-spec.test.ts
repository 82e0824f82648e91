import { describe, expect, it } from 'vitest';
import { APP_DEFAULTS, type AppConfig } from '../../config/app-config.js';
import { spawnSpec } from './spawn-spec.js';

const app = (config: Partial<AppConfig>) =>
  ({ ...APP_DEFAULTS, name: 'a', script: '/srv/a.js', cwd: '/srv', interpreter: 'node', ...config }) as AppConfig;

describe('spawnSpec', () => {
  it("forks a Node script with its interpreter arguments, then sup's app runtime", () => {
    expect(spawnSpec(app({ interpreter_args: ['--inspect'], args: ['x'] }), { A: '1' })).toEqual({
      mode: 'fork',
      node: true,
      file: '/srv/a.js',
      execArgv: [
        '--unhandled-rejections=warn',
        '--enable-source-maps',
        '--inspect',
        '--import',
        expect.stringMatching(/^file:.*sup-app-runtime\.js$/),
      ],
      args: ['x'],
      cwd: '/srv',
      env: { A: '1' },
    });
  });

  it("runs a cluster worker with sup's runtime preloaded after the app's own arguments", () => {
    const spec = spawnSpec(app({ exec_mode: 'cluster', interpreter_args: ['--max-old-space-size=100'] }), {});
    expect(spec.mode).toBe('cluster');
    expect(spec.execArgv.slice(0, 4)).toEqual([
      '--unhandled-rejections=warn',
      '--enable-source-maps',
      '--max-old-space-size=100',
      '--import',
    ]);
    expect(spec.execArgv[4]).toMatch(/^file:.*sup-worker-runtime\.js$/);
  });

  it("gives Node apps PM2's handling of unhandled rejections and source maps, unless the config or their own flags say otherwise", () => {
    const flags = (config: Partial<AppConfig>) =>
      spawnSpec(app(config), {}).execArgv.filter((a) => !a.startsWith('file:') && a !== '--import');
    expect(flags({ unhandled_rejections: 'throw', source_map_support: false })).toEqual([]);
    expect(flags({ interpreter_args: ['--unhandled-rejections=strict'] })).toEqual([
      '--enable-source-maps',
      '--unhandled-rejections=strict',
    ]);
  });

  it("runs a program directly, or with its interpreter and that interpreter's arguments first", () => {
    expect(spawnSpec(app({ interpreter: 'none', script: '/bin/sleep', args: ['9'] }), {})).toMatchObject({
      mode: 'fork',
      node: false,
      file: '/bin/sleep',
      args: ['9'],
    });
    expect(spawnSpec(app({ interpreter: 'python3', interpreter_args: ['-u'], script: '/srv/w.py', args: ['q'] }), {})).toMatchObject({
      node: false,
      file: 'python3',
      args: ['-u', '/srv/w.py', 'q'],
    });
  });

  it('spawns Bun and Deno with an IPC channel (ready, message, trigger), other programs without', () => {
    const ipc = (interpreter: string) => (spawnSpec(app({ interpreter }), {}) as { ipc?: boolean }).ipc ?? false;
    expect([ipc('bun'), ipc('/home/u/.deno/bin/deno'), ipc('python3'), ipc('none')]).toEqual([true, true, false, false]);
  });
});
