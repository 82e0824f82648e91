import type { HealthCheck } from '../../../config/app-config.js';
import type { HealthInfo } from '../../../protocol/messages.js';
import { failureCounts, nextHealth, probeSchedule, STARTING, unhealthyReason } from './health-decision.js';
import { type ProbeTarget, runProbe } from './probes.js';

export interface HealthListener {
  /** Any new result (for list, describe, monit). */
  changed(health: HealthInfo): void;
  healthy(health: HealthInfo): void;
  /** `reason` has the word "health" in it, for the status and the restart. */
  unhealthy(health: HealthInfo, reason: string): void;
}

/**
 * The health check of one process (one run): probes one at a time, never overlapping, from its spawn until its
 * end; the decisions are health-decision.ts's, this only schedules and reports.
 */
export class HealthChecker {
  info: HealthInfo = STARTING;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private lastCountedAt: number;

  constructor(
    private readonly check: HealthCheck,
    private readonly target: ProbeTarget,
    private readonly runStartedAt: number,
    private readonly listener: HealthListener,
  ) {
    this.lastCountedAt = runStartedAt;
  }

  start(): void {
    this.schedule(0);
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.probe(), ms);
    this.timer.unref();
  }

  private async probe(): Promise<void> {
    const result = await runProbe(this.target, this.check.timeout);
    if (this.stopped) return;
    if (result.ok || failureCounts(this.info, this.check, result.at, this.lastCountedAt)) {
      if (!result.ok) this.lastCountedAt = result.at;
      const step = nextHealth(this.info, result, this.check, this.runStartedAt);
      this.info = step.health;
      this.listener.changed(this.info);
      if (step.became === 'healthy') this.listener.healthy(this.info);
      if (step.became === 'unhealthy') this.listener.unhealthy(this.info, unhealthyReason(this.info, this.check));
    } else {
      this.info = { ...this.info, last: result };
    }
    this.schedule(probeSchedule(this.info, this.check));
  }
}
