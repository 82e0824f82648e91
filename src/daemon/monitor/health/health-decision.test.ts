import { describe, expect, it } from 'vitest';
import type { HealthCheck } from '../../../config/app-config.js';
import { failureCounts, nextHealth, type ProbeResult, probeSchedule, STARTING, unhealthyReason } from './health-decision.js';

const check: HealthCheck = { http: '/health', tcp: null, command: null, interval: 1000, timeout: 500, retries: 3, start_period: 0 };
const pass = (at: number): ProbeResult => ({ ok: true, at, latency_ms: 3, detail: 'HTTP 200' });
const fail = (at: number): ProbeResult => ({ ok: false, at, latency_ms: 4, detail: 'HTTP 500' });

describe('nextHealth', () => {
  it('turns healthy on the first pass, and says so once', () => {
    const first = nextHealth(STARTING, pass(10), check, 0);
    expect(first).toMatchObject({ became: 'healthy', health: { status: 'healthy', failures: 0 } });
    expect(nextHealth(first.health, pass(20), check, 0).became).toBeNull();
  });

  it('turns unhealthy only after `retries` failures in a row', () => {
    let health = nextHealth(STARTING, pass(0), check, 0).health;
    const steps = [1, 2, 3].map((t) => {
      const step = nextHealth(health, fail(t), check, 0);
      health = step.health;
      return step;
    });
    expect(steps.map((s) => s.became)).toEqual([null, null, 'unhealthy']);
    expect(steps.map((s) => s.health.status)).toEqual(['healthy', 'healthy', 'unhealthy']);
    expect(nextHealth(health, fail(4), check, 0)).toMatchObject({ became: null, health: { failures: 4 } });
  });

  it('a pass between failures starts the count over', () => {
    let health = nextHealth(STARTING, fail(1), check, 0).health;
    health = nextHealth(health, fail(2), check, 0).health;
    health = nextHealth(health, pass(3), check, 0).health;
    const step = nextHealth(health, fail(4), check, 0);
    expect(step.health).toMatchObject({ status: 'healthy', failures: 1 });
  });

  it('does not count failures within start_period, but a pass there counts', () => {
    const slow = { ...check, start_period: 5000, retries: 1 };
    const early = nextHealth(STARTING, fail(1000), slow, 0);
    expect(early).toMatchObject({ became: null, health: { status: 'starting', failures: 0 } });
    expect(nextHealth(early.health, fail(6000), slow, 0)).toMatchObject({ became: 'unhealthy' });
    expect(nextHealth(early.health, pass(2000), slow, 0).became).toBe('healthy');
  });

  it('counts failures in start_period once the app was healthy', () => {
    const slow = { ...check, start_period: 5000, retries: 1 };
    const healthy = nextHealth(STARTING, pass(100), slow, 0).health;
    expect(nextHealth(healthy, fail(200), slow, 0).became).toBe('unhealthy');
  });

  it('an app that never passes is unhealthy after retries failures past start_period', () => {
    let health = STARTING;
    const became = [1, 2, 3].map((t) => {
      const step = nextHealth(health, fail(t), check, 0);
      health = step.health;
      return step.became;
    });
    expect(became).toEqual([null, null, 'unhealthy']);
  });
});

describe('unhealthyReason', () => {
  it('names the check, the count and the last failure, with the word health', () => {
    const health = { status: 'unhealthy' as const, failures: 3, last: fail(1) };
    expect(unhealthyReason(health, check)).toBe('health check (http /health) failed 3 times in a row: HTTP 500');
  });
});

describe('probing before the first pass', () => {
  it('probes often while starting, at the interval afterwards', () => {
    expect(probeSchedule(STARTING, { ...check, interval: 10_000 })).toBe(250);
    expect(probeSchedule({ status: 'healthy', failures: 0, last: null }, { ...check, interval: 10_000 })).toBe(10_000);
  });

  it('counts a starting failure at most once per interval', () => {
    expect(failureCounts(STARTING, check, 500, 0)).toBe(false);
    expect(failureCounts(STARTING, check, 1000, 0)).toBe(true);
    expect(failureCounts({ status: 'healthy', failures: 0, last: null }, check, 10, 0)).toBe(true);
  });
});
