import type { AppConfig, Hook, HookEvent } from '../../../config/app-config.js';
import type { AppEvent, HookFailure } from '../../../protocol/messages.js';
import { withTimeout } from '../../../timeout.js';
import { HookFailures } from './hook-failures.js';
import { type HookPayload, hookEnv, webhookBody } from './hook-payload.js';
import { HookQueue } from './hook-queue.js';
import { type HookSettings, HookSettingsFile } from './hook-settings.js';
import { postWebhook } from './post-webhook.js';
import { admit, type RatePolicy, type RateWindow, summaryOf } from './rate-limit.js';
import { runCommand } from './run-command.js';
import { WEBHOOK_RETRY } from './retry.js';

interface Target {
  hook: Hook;
  cwd: string;
}

/**
 * Runs the hooks of app events: the app's own (`hooks` in its config) and the daemon-wide ones (SUP_HOME/hooks.json).
 * Never in the daemon's way: events are queued (bounded), rate limited per app and event, each hook has a timeout,
 * and a failure is reported (hook-failures.ts), never thrown.
 */
export class Hooks {
  private readonly settingsFile: HookSettingsFile;
  private readonly queue: HookQueue;
  private readonly failures: HookFailures;
  private readonly windows = new Map<string, { window: RateWindow; last: AppEvent }>();
  private readonly kills = new Set<() => void>();
  private readonly stopping = new AbortController();

  constructor(
    private readonly home: string,
    private readonly configOf: (app: string) => AppConfig | undefined,
    private readonly log: (message: string) => void,
  ) {
    this.settingsFile = new HookSettingsFile(home, log);
    this.failures = new HookFailures(log);
    this.queue = new HookQueue(() => {
      const s = this.settingsFile.current();
      return { concurrency: s.concurrency, maxQueue: s.max_queue };
    }, log);
  }

  /** Called for every app event: cheap when no hook wants it. */
  handle(event: AppEvent): void {
    if (this.stopping.signal.aborted) return;
    const settings = this.settingsFile.current();
    const targets = this.targets(event.app, event.event, settings);
    if (targets.length === 0) return;
    const policy: RatePolicy = { burst: settings.rate_limit.burst, windowMs: settings.rate_limit.window };
    const key = `${event.app}\0${event.event}`;
    const admission = admit(this.windows.get(key)?.window, event.at, policy);
    this.windows.set(key, { window: admission.window, last: event });
    if (admission.send && admission.opened) setTimeout(() => this.closeWindow(key, policy), policy.windowMs).unref();
    if (admission.send) this.enqueue(targets, event, settings);
  }

  failuresOf(app: string): HookFailure[] {
    return this.failures.of(app);
  }

  /** At the daemon's exit: hooks under way get `ms` to finish (a `stop` hook of the shutdown), then are killed. */
  async settle(ms: number): Promise<void> {
    const idle = this.queue.idle();
    this.stopping.abort();
    if ((await withTimeout(idle, ms)) === 'timed-out') for (const kill of this.kills) kill();
  }

  /** The end of a rate-limit window: one summary for what it held back. */
  private closeWindow(key: string, policy: RatePolicy): void {
    const held = this.windows.get(key);
    this.windows.delete(key);
    if (!held || this.stopping.signal.aborted) return;
    const text = summaryOf(held.window, held.last.event, held.last.app, policy);
    if (!text) return;
    const settings = this.settingsFile.current();
    const summary = { suppressed: held.window.suppressed, window_start: held.window.start, window_ms: policy.windowMs };
    const payload: HookPayload = { ...held.last, reason: `${text}; the last: ${held.last.reason ?? held.last.event}`, summary };
    this.enqueue(this.targets(held.last.app, held.last.event, settings), payload, settings);
  }

  private targets(app: string, event: HookEvent, settings: HookSettings): Target[] {
    const targets: Target[] = [];
    const config = this.configOf(app);
    const own = config?.hooks[event];
    if (own && config) targets.push({ hook: own, cwd: config.cwd });
    const global = settings.hooks[event];
    if (global) targets.push({ hook: global, cwd: this.home });
    return targets;
  }

  private enqueue(targets: Target[], payload: HookPayload, settings: HookSettings): void {
    for (const target of targets) {
      const label = typeof target.hook === 'string' ? target.hook : target.hook.url;
      this.queue.push(async () => {
        const outcome = await this.run(target, payload, settings);
        if (outcome.ok) this.failures.succeeded(payload.app, payload.event, label);
        else this.failures.failed(payload.app, payload.event, label, outcome.error);
      });
    }
  }

  private async run(target: Target, payload: HookPayload, settings: HookSettings) {
    if (typeof target.hook !== 'string') {
      const retry = { ...WEBHOOK_RETRY, retries: settings.retries };
      return postWebhook(target.hook.url, webhookBody(payload), { timeoutMs: settings.timeout, retry, cancelled: this.stopping.signal });
    }
    const env = hookEnv(process.env, payload);
    const input = `${JSON.stringify(payload)}\n`;
    const running = runCommand(target.hook, { cwd: target.cwd, env, input, timeoutMs: settings.timeout });
    this.kills.add(running.kill);
    try {
      return await running.done;
    } finally {
      this.kills.delete(running.kill);
    }
  }
}
