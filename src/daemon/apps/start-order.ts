import type { DependencyCondition } from '../../config/app-config.js';
import type { App } from './app.js';
import type { AppsContext } from './context.js';
import { dependencyOrder } from './dependency-order.js';
import { type DependencyState, dependencyState } from './dependency-state.js';

/**
 * Starts apps as their `depends_on` allows: each one as soon as its dependencies are where it needs them, independent
 * ones in parallel. An app whose dependency fails (errored, a failed one-shot, stopped) is not started and says why in
 * its status reason. outside: a dependency that is not part of this start is checked as it is ('check': `sup start`),
 * or not waited for ('ignore': a restore, where it was met when the apps were running).
 */
export async function startInOrder(
  ctx: AppsContext,
  batch: readonly App[],
  start: (app: App) => Promise<unknown>,
  outside: 'check' | 'ignore',
): Promise<void> {
  const byName = new Map(batch.map((a) => [a.config.name, a]));
  const known = new Set(ctx.registry.list().map((a) => a.config.name));
  // A saved state with a cycle (never accepted by a start) must not wait on itself: it starts unordered.
  const ordered = dependencyOrder(
    batch.map((a) => a.config),
    known,
  ).ok;
  const outcomes = new Map<App, Promise<string | null>>();
  const run = (app: App): Promise<string | null> => {
    let outcome = outcomes.get(app);
    if (!outcome) outcomes.set(app, (outcome = startAfterDependencies(app)));
    return outcome;
  };
  /** null once started; otherwise why it was not. */
  const startAfterDependencies = async (app: App): Promise<string | null> => {
    for (const [dep, condition] of ordered ? Object.entries(app.config.depends_on) : []) {
      const inBatch = byName.get(dep);
      if (!inBatch && outside === 'ignore') continue;
      hold(app, `waiting for ${dep} (${condition})`);
      const held = inBatch ? await run(inBatch) : null;
      const state: DependencyState = held
        ? { kind: 'blocked', reason: `${dep} was not started: ${held}` }
        : await reached(ctx, dep, condition);
      if (state.kind === 'blocked') {
        const reason = `not started: it depends on ${dep}, and ${state.reason}`;
        hold(app, reason);
        ctx.services.log(`${app.config.name}: ${reason}`);
        return reason;
      }
    }
    if (!ctx.accepting()) return 'the daemon is stopping';
    hold(app, null);
    await start(app);
    return null;
  };
  await Promise.all(batch.map(run));
}

function hold(app: App, reason: string | null): void {
  for (const instance of app.instances) instance.hold(reason);
}

/** Resolves once the dependency is met or can no longer be (it failed, stopped, was deleted, or sup is stopping). */
function reached(ctx: AppsContext, dep: string, condition: DependencyCondition): Promise<DependencyState> {
  const check = (): DependencyState => {
    const app = ctx.registry.get(dep);
    if (!app) return { kind: 'blocked', reason: `${dep} is gone` };
    if (!ctx.accepting()) return { kind: 'blocked', reason: 'the daemon is stopping' };
    return dependencyState(
      dep,
      condition,
      app.config.oneshot,
      app.instances.map((i) => i.info()),
    );
  };
  return new Promise((resolve) => {
    const first = check();
    if (first.kind !== 'pending') return resolve(first);
    const unsubscribe = ctx.services.events.subscribe((event) => {
      if (event.type !== 'process' && event.type !== 'removed') return;
      if (event.type === 'process' && event.process.name !== dep) return;
      const state = check();
      if (state.kind === 'pending') return;
      unsubscribe();
      resolve(state);
    }, false);
  });
}
