import type { HookEvent } from '../../../config/app-config.js';
import type { HookFailure } from '../../../protocol/messages.js';

/**
 * Hooks that fail: reported once in daemon.log when they start failing (and once when they work again), counted
 * meanwhile, and shown by `sup describe` of the app whose event it was.
 */
export class HookFailures {
  private readonly byKey = new Map<string, HookFailure & { app: string }>();

  constructor(private readonly log: (message: string) => void) {}

  failed(app: string, event: HookEvent, target: string, error: string): void {
    const key = keyOf(app, event, target);
    const known = this.byKey.get(key);
    if (known) {
      this.byKey.set(key, { ...known, error, at: Date.now(), count: known.count + 1 });
      return;
    }
    this.byKey.set(key, { app, event, target, error, at: Date.now(), count: 1 });
    this.log(`hook ${event} of ${app} (${target}) failed: ${error}; further failures are counted in \`sup describe ${app}\``);
  }

  succeeded(app: string, event: HookEvent, target: string): void {
    const key = keyOf(app, event, target);
    const known = this.byKey.get(key);
    if (!known) return;
    this.byKey.delete(key);
    this.log(`hook ${event} of ${app} (${target}) works again after ${known.count} failure(s)`);
  }

  of(app: string): HookFailure[] {
    return [...this.byKey.values()].filter((f) => f.app === app).map(({ app: _app, ...failure }) => failure);
  }
}

function keyOf(app: string, event: string, target: string): string {
  return JSON.stringify([app, event, target]);
}
