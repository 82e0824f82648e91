// @ts-check
/**
 * Random interleavings of commands against one daemon: start, restart, reload, stop, delete, scale, sent
 * concurrently at random moments. The promise under test is that none of them can hang, whatever state the
 * instances are in. Shared by test/interleavings.test.ts (seconds, in CI) and bench/interleave.js (opt-in, long).
 */
import { fixture } from './paths.js';
import { pick, rng } from './random.js';

export const KILL_TIMEOUT_MS = 600;
export const LISTEN_TIMEOUT_MS = 1500;

/**
 * A command not answered within this is a hang: commands queue behind each other on an instance, so the bound covers
 * a few operations in a row (a hang is forever).
 * @param {number} inFlight commands in flight at most
 */
export const hangBoundMs = (inFlight) => inFlight * (KILL_TIMEOUT_MS + LISTEN_TIMEOUT_MS + 4000) + 5000;

/**
 * The apps the commands are sent to: crash-looping, slow-starting and stubborn ones, in fork and cluster mode, and
 * two cluster apps of one script on one fixed port (the case that once hung).
 * @param {number} port a free port for the two apps that share one
 * @returns {Array<Record<string, unknown>>} ecosystem entries
 */
export function interleaveApps(port) {
  const common = { kill_timeout: KILL_TIMEOUT_MS, listen_timeout: LISTEN_TIMEOUT_MS, max_restarts: 1000 };
  const cluster = { exec_mode: 'cluster', instances: 2 };
  return [
    { ...common, ...cluster, name: 'cl-crash', script: fixture('crash.js'), env: { CRASH_AFTER_MS: '50' } },
    { ...common, ...cluster, name: 'cl-slow', script: fixture('slow-listen.js'), env: { LISTEN_AFTER_MS: '300' } },
    { ...common, ...cluster, name: 'cl-port-a', script: fixture('http.js'), instances: 3, env: { PORT: String(port) } },
    { ...common, ...cluster, name: 'cl-port-b', script: fixture('http.js'), env: { PORT: String(port) } },
    { ...common, ...cluster, name: 'cl-live', script: fixture('http.js'), env: { PORT: '0' } },
    { ...common, name: 'fork-crash', script: fixture('crash.js'), env: { CRASH_AFTER_MS: '30' } },
    { ...common, name: 'fork-stubborn', script: fixture('ignore-term.js') },
    { ...common, name: 'fork-slow', script: fixture('slow-listen.js'), wait_ready: true, env: { LISTEN_AFTER_MS: '300' } },
  ];
}

/** @typedef {(type: string, body: Record<string, unknown>) => Promise<unknown>} Request */
/** @typedef {{ type: string, target: string, ms: number, outcome: string }} Done */

/**
 * @param {object} o
 * @param {Request} o.request one request to the daemon (many may be in flight at once)
 * @param {Array<{ name: string }>} o.apps the apps' resolved configs (as `start` takes them), all started already
 * @param {number} o.seed
 * @param {number} o.durationMs how long to keep sending commands
 * @param {number} o.boundMs a command not answered within this is a hang
 * @param {number} [o.inFlight] commands in flight at most
 * @param {Record<string, string>} [o.env] the environment `start` gives the apps
 * @returns {Promise<{ done: Done[], hung: Array<{ type: string, target: string }>, slowest: Done | undefined }>}
 */
export async function interleave({ request, apps, seed, durationMs, boundMs, inFlight = 3, env = {} }) {
  const random = rng(seed);
  /** @type {Done[]} */
  const done = [];
  /** @type {Array<{ type: string, target: string }>} */
  const hung = [];
  /** @type {Set<Promise<void>>} */
  const running = new Set();
  const end = Date.now() + durationMs;

  /** @param {string} type @param {string} target @param {Record<string, unknown>} body */
  const send = (type, target, body) => {
    const t0 = Date.now();
    /** @type {NodeJS.Timeout | undefined} */
    let timer;
    const bounded = new Promise((resolve) => {
      timer = setTimeout(() => resolve('hung'), boundMs);
    });
    const outcome = request(type, body).then(
      () => 'ok',
      (/** @type {{ code?: string, message?: string }} */ err) => `error ${err.code ?? err.message}`,
    );
    const op = Promise.race([outcome, bounded]).then((result) => {
      clearTimeout(timer);
      if (result === 'hung') hung.push({ type, target });
      else done.push({ type, target, ms: Date.now() - t0, outcome: String(result) });
    });
    running.add(op);
    void op.finally(() => running.delete(op));
  };

  /** @param {{ name: string }} app */
  const sendOne = (app) => {
    const target = app.name;
    const roll = random();
    if (roll < 0.18) send('restart', target, { targets: [target] });
    else if (roll < 0.34) send('reload', target, { targets: [target], parallel: 1 });
    else if (roll < 0.5) send('stop', target, { targets: [target] });
    else if (roll < 0.64) send('startExisting', target, { targets: [target] });
    else if (roll < 0.74) send('delete', target, { targets: [target] });
    else if (roll < 0.86) send('start', target, { apps: [app], env, force: false });
    else send('scale', target, { name: target, count: String(1 + Math.floor(random() * 3)) });
  };

  while (Date.now() < end) {
    const app = pick(random, apps);
    // Often two or three commands on one app in the same instant: a stop right behind a launch is where a
    // process whose pid is not known yet meets its stop.
    const burst = random() < 0.4 ? 2 + Math.floor(random() * 2) : 1;
    for (let i = 0; i < burst; i++) sendOne(app);
    // Pacing: mostly quick, sometimes a pause that lets restarts and backoffs play out.
    await new Promise((r) => setTimeout(r, random() < 0.75 ? random() * 40 : 200 + random() * 400));
    while (running.size >= inFlight) await Promise.race(running);
  }
  await Promise.all(running);
  const slowest = done.reduce((/** @type {Done | undefined} */ a, b) => (a && a.ms >= b.ms ? a : b), undefined);
  return { done, hung, slowest };
}
