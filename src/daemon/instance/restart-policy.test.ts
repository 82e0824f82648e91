import { describe, expect, it } from 'vitest';
import {
  decideRestart,
  describeExit,
  type ExitFacts,
  type RestartDecision,
  type RestartHistory,
  type RestartPolicy,
} from './restart-policy.js';

const policy = (over: Partial<RestartPolicy> = {}): RestartPolicy => ({
  autorestart: true,
  max_restarts: 16,
  min_uptime: 1000,
  restart_delay: 0,
  exp_backoff_restart_delay: 0,
  stop_exit_codes: [],
  oneshot: false,
  ...over,
});

const fresh: RestartHistory = { unstableRestarts: 0, lastDelayMs: 0 };
const crash = (uptimeMs = 10, code: number | null = 1, signal: string | null = null): ExitFacts => ({ code, signal, uptimeMs });

function expectRestart(decision: RestartDecision): Extract<RestartDecision, { action: 'restart' }> {
  if (decision.action !== 'restart') throw new Error(`expected a restart, got ${JSON.stringify(decision)}`);
  return decision;
}

/** Feeds `count` exits through decideRestart, carrying the history forward like an instance does. */
function simulate(exits: ExitFacts[], p: RestartPolicy, start: RestartHistory = fresh): RestartDecision[] {
  const decisions: RestartDecision[] = [];
  let history = start;
  for (const exit of exits) {
    const decision = decideRestart(exit, history, p);
    decisions.push(decision);
    if (decision.action !== 'restart') break;
    history = decision.history;
  }
  return decisions;
}

const delays = (decisions: RestartDecision[]) => decisions.map((d) => (d.action === 'restart' ? d.delayMs : d.action));

describe('decideRestart: default backoff', () => {
  it('restarts a first crash at once', () => {
    const d = expectRestart(decideRestart(crash(), fresh, policy()));
    expect(d.delayMs).toBe(0);
    expect(d.history).toEqual({ unstableRestarts: 1, lastDelayMs: 0 });
  });

  it('backs off further fast crashes 100, 200, 400 … ms', () => {
    const decisions = simulate(
      Array.from({ length: 7 }, () => crash()),
      policy(),
    );
    expect(delays(decisions)).toEqual([0, 100, 200, 400, 800, 1600, 3200]);
  });

  it('caps the backoff at 5000 ms', () => {
    const decisions = simulate(
      Array.from({ length: 12 }, () => crash()),
      policy({ max_restarts: 100 }),
    );
    expect(delays(decisions).slice(7)).toEqual([5000, 5000, 5000, 5000, 5000]);
  });

  it('resets the unstable count and the delay after a stable run', () => {
    const history: RestartHistory = { unstableRestarts: 5, lastDelayMs: 1600 };
    const d = expectRestart(decideRestart(crash(1000), history, policy()));
    expect(d.delayMs).toBe(0);
    expect(d.history).toEqual({ unstableRestarts: 0, lastDelayMs: 0 });
  });

  it('treats a run of exactly min_uptime as stable', () => {
    const d = expectRestart(decideRestart(crash(1000), { unstableRestarts: 16, lastDelayMs: 5000 }, policy()));
    expect(d.history.unstableRestarts).toBe(0);
  });

  it('treats a run one ms short of min_uptime as unstable', () => {
    const d = expectRestart(decideRestart(crash(999), { unstableRestarts: 2, lastDelayMs: 100 }, policy()));
    expect(d.history.unstableRestarts).toBe(3);
    expect(d.delayMs).toBe(200);
  });

  it('starts the backoff over after a stable run between crash loops', () => {
    const exits = [crash(), crash(), crash(), crash(60_000), crash(), crash()];
    expect(delays(simulate(exits, policy()))).toEqual([0, 100, 200, 0, 0, 100]);
  });

  it('restarts a clean exit (code 0) like any other exit when autorestart is on', () => {
    expect(decideRestart(crash(5000, 0), fresh, policy()).action).toBe('restart');
  });
});

describe('decideRestart: giving up', () => {
  it('gives up when the unstable count goes above max_restarts, naming max_restarts', () => {
    const d = decideRestart(crash(), { unstableRestarts: 16, lastDelayMs: 5000 }, policy());
    expect(d.action).toBe('give-up');
    if (d.action !== 'give-up') return;
    expect(d.reason).toContain('max_restarts is 16');
    expect(d.reason).toContain('17 times in a row');
    expect(d.reason).toContain('min_uptime (1000 ms)');
    expect(d.reason).toContain('exited with code 1');
  });

  it('still restarts when the unstable count reaches max_restarts exactly', () => {
    const d = expectRestart(decideRestart(crash(), { unstableRestarts: 15, lastDelayMs: 5000 }, policy()));
    expect(d.history.unstableRestarts).toBe(16);
  });

  it('gives up on the first fast crash when max_restarts is 0', () => {
    const d = decideRestart(crash(), fresh, policy({ max_restarts: 0 }));
    expect(d).toMatchObject({ action: 'give-up', reason: expect.stringContaining('max_restarts is 0') });
  });

  it('keeps restarting stable runs when max_restarts is 0', () => {
    expect(decideRestart(crash(5000), fresh, policy({ max_restarts: 0 })).action).toBe('restart');
  });

  it('does not give up on a long-running app however many times it restarted before', () => {
    expect(decideRestart(crash(2000), { unstableRestarts: 1000, lastDelayMs: 5000 }, policy()).action).toBe('restart');
  });

  it('never waits longer than the cap and gives up exactly after max_restarts + 1 fast crashes', () => {
    for (const max of [0, 1, 2, 5, 16, 50, 99]) {
      const decisions = simulate(
        Array.from({ length: 100 }, () => crash()),
        policy({ max_restarts: max }),
      );
      expect(decisions).toHaveLength(max + 1);
      expect(decisions.at(-1)?.action).toBe('give-up');
      for (const d of decisions.slice(0, -1)) {
        const r = expectRestart(d);
        expect(r.delayMs).toBeGreaterThanOrEqual(0);
        expect(r.delayMs).toBeLessThanOrEqual(5000);
      }
    }
  });

  it('never gives up and never exceeds the cap when max_restarts is above the number of crashes', () => {
    const decisions = simulate(
      Array.from({ length: 100 }, () => crash()),
      policy({ max_restarts: 100 }),
    );
    expect(decisions).toHaveLength(100);
    expect(decisions.every((d) => d.action === 'restart' && d.delayMs <= 5000)).toBe(true);
  });
});

describe('decideRestart: stopping', () => {
  it.each([
    {
      name: 'a code listed in stop_exit_codes',
      exit: crash(10, 0),
      p: policy({ stop_exit_codes: [0] }),
      reason: 'exited with code 0, listed in stop_exit_codes',
    },
    { name: 'one of several stop_exit_codes', exit: crash(10, 3), p: policy({ stop_exit_codes: [0, 3] }), reason: 'stop_exit_codes' },
    { name: 'stop_exit_codes even after a long run', exit: crash(60_000, 2), p: policy({ stop_exit_codes: [2] }), reason: 'code 2' },
    { name: 'autorestart false', exit: crash(10, 1), p: policy({ autorestart: false }), reason: 'exited with code 1; autorestart is off' },
    {
      name: 'autorestart false after a signal',
      exit: crash(10, null, 'SIGKILL'),
      p: policy({ autorestart: false }),
      reason: 'killed by SIGKILL; autorestart is off',
    },
  ])('stops on $name', ({ exit, p, reason }) => {
    const d = decideRestart(exit, fresh, p);
    expect(d.action).toBe('stop');
    expect(d.action === 'stop' && d.reason).toContain(reason);
  });

  it('stops on a stop_exit_code even when autorestart is on and the app would otherwise give up', () => {
    const d = decideRestart(crash(10, 0), { unstableRestarts: 16, lastDelayMs: 5000 }, policy({ stop_exit_codes: [0] }));
    expect(d.action).toBe('stop');
  });

  it('restarts a code not listed in stop_exit_codes', () => {
    expect(decideRestart(crash(10, 1), fresh, policy({ stop_exit_codes: [0] })).action).toBe('restart');
  });

  it('does not match a signal exit (code null) against stop_exit_codes', () => {
    expect(decideRestart(crash(10, null, 'SIGTERM'), fresh, policy({ stop_exit_codes: [0] })).action).toBe('restart');
  });
});

describe('decideRestart: restart_delay', () => {
  it('waits the fixed delay on every restart, first crash included', () => {
    const decisions = simulate(
      Array.from({ length: 6 }, () => crash()),
      policy({ restart_delay: 250 }),
    );
    expect(delays(decisions)).toEqual([250, 250, 250, 250, 250, 250]);
  });

  it('waits the fixed delay after a stable run too', () => {
    expect(expectRestart(decideRestart(crash(60_000), fresh, policy({ restart_delay: 3000 }))).delayMs).toBe(3000);
  });

  it('still gives up after max_restarts fast crashes', () => {
    const decisions = simulate(
      Array.from({ length: 10 }, () => crash()),
      policy({ restart_delay: 250, max_restarts: 3 }),
    );
    expect(delays(decisions)).toEqual([250, 250, 250, 'give-up']);
  });
});

describe('decideRestart: exp_backoff_restart_delay', () => {
  const exp = (ms = 100, over: Partial<RestartPolicy> = {}) => policy({ exp_backoff_restart_delay: ms, max_restarts: 1000, ...over });

  it('starts with the configured delay and grows ×1.5 per restart', () => {
    const decisions = simulate(
      Array.from({ length: 5 }, () => crash()),
      exp(100),
    );
    expect(delays(decisions)).toEqual([100, 150, 225, 338, 507]);
  });

  it('caps the delay at 15000 ms', () => {
    const decisions = simulate(
      Array.from({ length: 40 }, () => crash()),
      exp(100),
    );
    const ds = delays(decisions) as number[];
    expect(Math.max(...ds)).toBe(15_000);
    expect(ds.slice(-5)).toEqual([15_000, 15_000, 15_000, 15_000, 15_000]);
  });

  it('keeps growing after a run longer than min_uptime but shorter than 30 s', () => {
    const d = expectRestart(decideRestart(crash(10_000), { unstableRestarts: 0, lastDelayMs: 1000 }, exp(100)));
    expect(d.delayMs).toBe(1500);
  });

  it('resets to the configured delay after 30 s of uptime', () => {
    const d = expectRestart(decideRestart(crash(30_000), { unstableRestarts: 0, lastDelayMs: 15_000 }, exp(100)));
    expect(d.delayMs).toBe(100);
  });

  it('grows from 29999 ms of uptime, one ms short of the reset', () => {
    const d = expectRestart(decideRestart(crash(29_999), { unstableRestarts: 0, lastDelayMs: 1000 }, exp(100)));
    expect(d.delayMs).toBe(1500);
  });

  it('takes precedence over restart_delay', () => {
    const decisions = simulate([crash(), crash()], exp(100, { restart_delay: 5000 }));
    expect(delays(decisions)).toEqual([100, 150]);
  });

  it('still gives up after max_restarts fast crashes', () => {
    const decisions = simulate(
      Array.from({ length: 10 }, () => crash()),
      exp(100, { max_restarts: 2 }),
    );
    expect(delays(decisions)).toEqual([100, 150, 'give-up']);
  });
});

describe('describeExit', () => {
  it.each([
    [{ code: 1, signal: null }, 'exited with code 1'],
    [{ code: 0, signal: null }, 'exited with code 0'],
    [{ code: null, signal: 'SIGKILL' }, 'killed by SIGKILL'],
    [{ code: null, signal: 'SIGTERM' }, 'killed by SIGTERM'],
    [{ code: null, signal: null }, 'exited with code unknown'],
  ])('describes %j as "%s"', (exit, text) => {
    expect(describeExit(exit)).toBe(text);
  });

  it('names the signal in a give-up reason', () => {
    const d = decideRestart(crash(10, null, 'SIGKILL'), fresh, policy({ max_restarts: 0 }));
    expect(d.action === 'give-up' && d.reason).toMatch(/^killed by SIGKILL; /);
  });
});

describe('decideRestart: a program that cannot be executed', () => {
  it.each(['spawn /srv/app.ts EACCES', 'spawn bun ENOENT'])('gives up at once on "%s" instead of retrying forever', (error) => {
    const d = decideRestart({ code: null, signal: null, error, uptimeMs: 0 }, fresh, policy());
    expect(d).toMatchObject({ action: 'give-up', reason: expect.stringContaining('trying again cannot help') });
  });

  it('retries a spawn error that may pass (the machine out of processes)', () => {
    expect(decideRestart({ code: null, signal: null, error: 'spawn EAGAIN', uptimeMs: 0 }, fresh, policy()).action).toBe('restart');
  });
});

describe('decideRestart: one-shot tasks', () => {
  const oneshot = policy({ oneshot: true });

  it('completes on exit 0, however short the run', () => {
    expect(decideRestart(crash(1, 0), fresh, oneshot)).toEqual({ action: 'complete' });
  });

  it('fails on any other exit, with the code or the signal, and never restarts', () => {
    expect(decideRestart(crash(5000, 3), fresh, oneshot)).toEqual({ action: 'fail', reason: 'one-shot task exited with code 3' });
    expect(decideRestart(crash(10, null, 'SIGKILL'), fresh, oneshot)).toEqual({
      action: 'fail',
      reason: 'one-shot task killed by SIGKILL',
    });
  });

  it('fails a task that could not start', () => {
    const d = decideRestart({ code: null, signal: null, error: 'ENOENT', uptimeMs: 0 }, fresh, oneshot);
    expect(d).toEqual({ action: 'fail', reason: 'one-shot task could not start: ENOENT' });
  });

  it('goes before stop_exit_codes and autorestart: a task is never restarted', () => {
    expect(decideRestart(crash(10, 0), fresh, policy({ oneshot: true, stop_exit_codes: [0], autorestart: true }))).toEqual({
      action: 'complete',
    });
  });
});
