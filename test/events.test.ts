import { describe, expect } from 'vitest';
import { fixture } from './harness/paths.js';
import { eventsFollowers } from './helpers/events.js';
import { startMayCrash } from './helpers/apps.js';
import { it } from './helpers/sup-test.js';

describe('sup events', () => {
  const follow = eventsFollowers();

  it('prints the events of a restart as JSON lines, as they happen', async ({ sup }) => {
    await sup.ok(['start', fixture('forever.js'), '--name', 'api']);
    const events = await follow(sup);
    const from = events.events.length;
    await sup.ok(['restart', 'api']);
    await events.waitFor('exit, restart and online of api', (names) => names.slice(from).filter((n) => n.startsWith('api')).length >= 3);
    const seen = events.events.slice(from).filter((e) => e.app === 'api');
    expect(seen.map((e) => e.event)).toEqual(['exit', 'restart', 'online']);
    expect(seen[1]).toMatchObject({ app: 'api', id: 0, instance: 0, reason: 'restarted on request' });
    expect(seen[0]!.signal).toBe('SIGTERM');
    expect(typeof seen[2]!.pid).toBe('number');
  });

  it("reports a crash, and filters by event and app (PM2's bus names accepted)", async ({ sup }) => {
    const events = await follow(sup, ['process:exception', 'errored', '--app', 'boom']);
    await startMayCrash(sup, [fixture('crash.js'), '--name', 'boom', '--max-restarts', '1', '--min-uptime', '1m']);
    await startMayCrash(sup, [fixture('crash.js'), '--name', 'other', '--no-autorestart']);
    await events.waitFor('two crashes and errored', (names) => names.includes('boom errored'));
    expect(events.names).toEqual(['boom crash', 'boom crash', 'boom errored']);
    expect(events.events[0]).toMatchObject({ exit_code: 1, reason: 'exited with code 1' });
  });

  it('refuses an unknown event name', async ({ sup }) => {
    const result = await sup.run(['events', 'log:out']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/unknown event "log:out"; expected one of start, online/);
  });
});
