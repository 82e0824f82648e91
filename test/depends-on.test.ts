import { describe, expect } from 'vitest';
import { fixture } from './harness/paths.js';
import { eventsFollowers } from './helpers/events.js';
import { homeEcosystem } from './helpers/apps.js';
import { it } from './helpers/sup-test.js';

/** migrate (one-shot, 1 s) → api (waits for it to complete) → web (waits for api online). */
const chain = (migrateCode: number) => [
  { name: 'web', script: fixture('forever.js'), depends_on: ['api'] },
  { name: 'api', script: fixture('forever.js'), depends_on: { migrate: 'completed' } },
  { name: 'migrate', script: fixture('crash.js'), oneshot: true, env: { CRASH_AFTER_MS: '1000', CRASH_CODE: String(migrateCode) } },
];

describe('depends_on and one-shot tasks', () => {
  const follow = eventsFollowers();

  it('starts a one-shot task, then what waits for its completion, then what waits for that; stops in reverse', async ({ sup }) => {
    const events = await follow(sup);
    const file = homeEcosystem(sup, chain(0));
    await sup.ok(['start', file]);
    const byName = Object.fromEntries((await sup.list()).map((p) => [p.name, p]));
    expect(byName.migrate).toMatchObject({ status: 'completed', exit_code: 0, restarts: 0, pid: null });
    expect(byName.api!.status).toBe('online');
    expect(byName.web!.status).toBe('online');
    const order = events.names;
    expect(order.slice(0, 7)).toEqual([
      'migrate start',
      'migrate online',
      'migrate exit',
      'api start',
      'api online',
      'web start',
      'web online',
    ]);
    const at = (name: string) => events.events.find((e) => `${e.app} ${e.event}` === name)!.at;
    expect(at('api start')).toBeGreaterThanOrEqual(at('migrate exit'));
    expect(at('web start')).toBeGreaterThanOrEqual(at('api online'));

    await sup.ok(['stop', file]);
    await events.waitFor('both stops', (names) => names.includes('api stop') && names.includes('web stop'));
    const stops = events.names.filter((n) => n.endsWith(' stop'));
    expect(stops).toEqual(['web stop', 'api stop']);
  }, 60_000);

  it('holds the dependents of a failed one-shot task back, saying why', async ({ sup }) => {
    const file = homeEcosystem(sup, chain(1));
    const result = await sup.run(['start', file]);
    // The start did not do its job: it says which apps and why, and exits non-zero.
    expect(result.code).not.toBe(0);
    expect(result.stdout).toContain('api: not started: it depends on migrate, and migrate failed (one-shot task exited with code 1)');
    expect(result.stderr).toMatch(/not everything started: web, api, migrate/);
    const byName = Object.fromEntries((await sup.list()).map((p) => [p.name, p]));
    expect(byName.migrate).toMatchObject({
      status: 'failed',
      exit_code: 1,
      restarts: 0,
      status_reason: 'one-shot task exited with code 1',
    });
    expect(byName.api).toMatchObject({ status: 'stopped', pid: null, restarts: 0 });
    expect(byName.api!.status_reason).toBe('not started: it depends on migrate, and migrate failed (one-shot task exited with code 1)');
    expect(byName.web!.status).toBe('stopped');
    expect(byName.web!.status_reason).toMatch(
      /^not started: it depends on api, and api was not started: not started: it depends on migrate/,
    );
    // Nothing of api or web ever ran.
    expect(byName.api!.uptime).toBe(0);
  }, 60_000);

  it('refuses a cycle, naming it, and starts nothing', async ({ sup }) => {
    const file = homeEcosystem(sup, [
      { name: 'a', script: fixture('forever.js'), depends_on: ['b'] },
      { name: 'b', script: fixture('forever.js'), depends_on: ['a'] },
      { name: 'c', script: fixture('forever.js') },
    ]);
    const result = await sup.run(['start', file]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('depends_on has a cycle: a → b → a; nothing was started');
    expect(await sup.list()).toEqual([]);
  });

  it('refuses an unknown name, naming the app', async ({ sup }) => {
    const file = homeEcosystem(sup, [{ name: 'api', script: fixture('forever.js'), depends_on: ['dbb'] }]);
    const result = await sup.run(['start', file]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('app "api": depends_on names "dbb"');
    expect(await sup.list()).toEqual([]);
  });

  it('starts an app after a dependency that sup already runs, and holds it back from a stopped one', async ({ sup }) => {
    await sup.ok(['start', fixture('forever.js'), '--name', 'db']);
    await sup.ok(['start', homeEcosystem(sup, [{ name: 'api', script: fixture('forever.js'), depends_on: ['db'] }])]);
    expect((await sup.info('api')).status).toBe('online');
    await sup.ok(['stop', 'all']);
    await sup.ok(['start', 'api']);
    const api = await sup.info('api');
    expect(api).toMatchObject({ status: 'stopped', status_reason: 'not started: it depends on db, and db is stopped' });
  });

  it('resurrects apps in dependency order', async ({ sup }) => {
    const file = homeEcosystem(sup, [
      { name: 'web', script: fixture('forever.js'), depends_on: ['api'] },
      { name: 'api', script: fixture('forever.js'), depends_on: { db: 'online' } },
      { name: 'db', script: fixture('forever.js') },
    ]);
    await sup.ok(['start', file]);
    await sup.ok(['save']);
    await sup.ok(['kill']);
    const events = await follow(sup);
    await sup.ok(['resurrect']);
    await events.waitFor('web online', (names) => names.includes('web online'));
    const starts = events.names.filter((n) => n.endsWith(' start') || n.endsWith(' online'));
    expect(starts).toEqual(['db start', 'db online', 'api start', 'api online', 'web start', 'web online']);
  }, 60_000);
});
