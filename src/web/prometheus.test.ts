import { describe, expect, it } from 'vitest';
import type { ProcessInfo } from '../protocol/messages.js';
import { processInfo } from '../protocol/process-info.test-helper.js';
import { ProcessCache } from './process-cache.js';
import { escapeLabel, renderMetrics } from './prometheus.js';

const proc = (over: Partial<ProcessInfo> = {}): ProcessInfo => processInfo({ restarts: 2, cpu: 50, ...over });
const daemon = { version: '1.0.0', pid: 1, uptimeMs: 1000, memoryBytes: 2048, connected: true };

describe('renderMetrics', () => {
  it('writes each family once, with HELP and TYPE, labelled app, id, instance, namespace', () => {
    const text = renderMetrics([proc(), proc({ id: 1, instance: 1 })], daemon);
    expect(text.match(/^# TYPE sup_process_restarts_total counter$/gm)).toHaveLength(1);
    expect(text).toContain('sup_process_restarts_total{app="api",id="1",instance="1",namespace="default"} 2');
    expect(text).toContain('sup_process_cpu_ratio{app="api",id="0",instance="0",namespace="default"} 0.5');
    expect(text).toContain('sup_process_status{app="api",id="0",instance="0",namespace="default",status="online"} 1');
    expect(text).toContain('sup_process_status{app="api",id="0",instance="0",namespace="default",status="errored"} 0');
    expect(text).toContain('sup_daemon_memory_bytes{version="1.0.0"} 2048');
    expect(text).not.toContain('health');
    expect(text.endsWith('\n')).toBe(true);
  });

  it('adds health and runtime figures only when the process has them', () => {
    const text = renderMetrics(
      [
        proc({
          health: { status: 'unhealthy', failures: 3, last: { ok: false, at: 0, latency_ms: 250, detail: '' } },
          runtime: { loop_delay_ms: 2, loop_delay_max_ms: 40, heap_used: 10, heap_total: 20, at: 0 },
        }),
      ],
      daemon,
    );
    expect(text).toContain('health="unhealthy"} 1');
    expect(text).toContain('sup_process_health_latency_seconds{app="api",id="0",instance="0",namespace="default"} 0.25');
    expect(text).toContain('sup_nodejs_eventloop_delay_max_seconds{app="api",id="0",instance="0",namespace="default"} 0.04');
  });

  it('escapes label values', () => {
    expect(escapeLabel('a"b\\c\nd')).toBe('a\\"b\\\\c\\nd');
  });

  it('renders 1,000 instances within a scrape interval', () => {
    const list = Array.from({ length: 1000 }, (_, i) => proc({ id: i, name: `app${i % 50}`, instance: i % 20 }));
    const start = performance.now();
    const text = renderMetrics(list, daemon);
    const ms = performance.now() - start;
    expect(text.split('\n').length).toBeGreaterThan(14_000);
    // A bound only a quadratic render breaks, even on a loaded machine (the figure itself is the benchmark's).
    expect(ms).toBeLessThan(5000);
  });
});

describe('ProcessCache', () => {
  it('follows process, removed and metrics events, and ages uptimes', () => {
    const cache = new ProcessCache();
    cache.reset([proc()], 0);
    cache.apply({ type: 'metrics', samples: [{ id: 0, cpu: 7, memory: 99 }] }, 10);
    cache.apply({ type: 'process', process: proc({ id: 1, pid: null, status: 'stopped', uptime: 0 }) }, 10);
    expect(cache.list(1000).map((p) => [p.id, p.cpu, p.memory, p.uptime])).toEqual([
      [0, 7, 99, 6000],
      [1, 50, 1024, 0],
    ]);
    cache.apply({ type: 'process', process: proc({ restarts: 3, restart_reason: 'memory limit 1 MB exceeded: 2 MB' }) }, 20);
    cache.apply({ type: 'process', process: proc({ restarts: 4, restart_reason: 'restarted on request' }) }, 20);
    expect(cache.memoryLimitRestarts(0)).toBe(1);
    cache.apply({ type: 'removed', id: 0, name: 'api' }, 20);
    expect(cache.list(20).map((p) => p.id)).toEqual([1]);
  });
});
