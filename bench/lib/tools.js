import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { succeeded } from '../../test/harness/run.js';
import { waitFor } from '../../test/harness/wait.js';
import { installPm2, openPm2 } from './pm2.js';

/**
 * sup and PM2 behind one small interface, so that a benchmark runs the same steps on both: a home of each (one
 * daemon each), started apps from the same ecosystem entries, the same list and wait calls.
 */
class Tool {
  constructor(id, home, dir) {
    this.id = id;
    this.home = home;
    this.dir = dir;
    this.files = 0;
  }

  /** Writes `apps` to an ecosystem JSON file in the home and starts it; both tools read the same keys. */
  startApps(apps, { env, timeoutMs = 60_000 } = {}) {
    const file = join(this.dir, `apps-${++this.files}.json`);
    writeFileSync(file, JSON.stringify({ apps }));
    return this.run(['start', file], { env, timeoutMs });
  }

  list() {
    return this.home.list();
  }

  waitForStatus(name, status, timeoutMs) {
    return this.home.waitForStatus(name, status, timeoutMs);
  }

  /** Waits until the tool lists `count` processes, all online. */
  waitForOnline(count, timeoutMs = 60_000) {
    return waitFor(
      `${this.id}: ${count} processes online`,
      async () => {
        const list = await this.list();
        return list.length === count && list.every((p) => p.status === 'online') ? list : undefined;
      },
      timeoutMs,
      undefined,
      // PM2's list is a CLI run each time: polled slowly, so that the polling does not weigh on what is measured.
      200,
    );
  }

  daemonPid() {
    return this.home.daemonPid();
  }
}

class SupTool extends Tool {
  label = 'sup';
  constructor(home) {
    super('sup', home, home.home);
  }

  /** `sup <args>`: its wall time and output; fails unless it exits 0. */
  async run(args, options) {
    return succeeded(await this.home.run(args, options));
  }
}

class Pm2Tool extends Tool {
  label = 'PM2';
  constructor(home) {
    super('pm2', home, home.dir);
  }

  run(args, options) {
    return this.home.pm2(args, options);
  }
}

/**
 * A sup home and a PM2 home for one benchmark. `ids` lists the tools present (PM2 is missing when it could not be
 * installed; `pm2Unavailable` says why). close() ends every process of both, by pid.
 */
export async function openTools(root, log) {
  const sup = new SupTool(root.create());
  const pm2Home = await openPm2(root, log);
  const pm2 = pm2Home.unavailable ? undefined : new Pm2Tool(pm2Home);
  return {
    sup,
    pm2,
    pm2Unavailable: pm2Home.unavailable,
    ids: pm2 ? ['sup', 'pm2'] : ['sup'],
    get: (id) => (id === 'sup' ? sup : pm2),
    /** PM2's samples for a row, or why there are none. */
    pm2Side: (samples) => (pm2 ? samples : { na: pm2Home.unavailable }),
    async close() {
      await Promise.allSettled([root.release(sup.home), pm2?.home.cleanup()]);
    },
  };
}

/** Which tools this run measures: ['sup', 'pm2'], or ['sup'] and why PM2 is missing. */
export async function availableTools(root, log) {
  const installed = await installPm2(root, log);
  return installed.unavailable ? { ids: ['sup'], pm2Unavailable: installed.unavailable } : { ids: ['sup', 'pm2'] };
}

/** Runs fn(tool) with a fresh home (a daemon of its own) of one tool, and ends all of that home's processes after. */
export async function withTool(root, log, id, fn) {
  const tool = id === 'sup' ? new SupTool(root.create()) : new Pm2Tool(await openPm2(root, log));
  try {
    return await fn(tool);
  } finally {
    await (id === 'sup' ? root.release(tool.home) : tool.home.cleanup());
  }
}
