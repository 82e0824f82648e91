import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { ensureToken } from '../auth-token-guard.js';
import { SUP_ENV } from '../env.js';
import { resolvePaths } from '../paths.js';
import { encodeMessage, encodeOutput } from '../protocol/keeper-wire.js';
import { bindControlSocket } from '../socket-lock.js';
import { startSupProcess } from '../sup-process.js';
import { Children } from './children.js';
import { type Departure, DaemonLink } from './daemon-link.js';
import { Outbox } from './outbox.js';
import { decideRespawn } from './respawn-policy.js';

// A keeper that holds no process and has no daemon has nothing to keep: it goes after this long.
const IDLE_EXIT_MS = 10_000;
// After `shutdown`, what the daemon did not stop is SIGKILLed; the keeper waits this long for the exits.
const SHUTDOWN_WAIT_MS = 3000;

/**
 * The keeper: the parent of every app process and the cluster primary of every cluster app, on its own socket in
 * SUP_HOME. It holds no policy and loads nothing but Node's own modules and sup's small pure ones, so that it is
 * small and hard to crash. A daemon that dies takes no app with it: the keeper holds the apps' output for the next
 * one and starts it. Under `sup run` (foreground) it ends with its daemon instead.
 */
export async function runKeeper(): Promise<void> {
  const paths = resolvePaths();
  const mode = process.env[SUP_ENV.keeperMode];
  const foreground = mode === 'foreground';
  const log = (message: string) => {
    process.stdout.write(foreground ? `sup keeper | ${message}\n` : `${new Date().toISOString()} keeper ${process.pid}: ${message}\n`);
  };
  // A terminal's signals are not meant for the keeper (it is detached, but a user may still send them).
  for (const signal of ['SIGINT', 'SIGHUP', 'SIGPIPE'] as const) process.on(signal, () => log(`received ${signal}; ignored`));
  process.on('uncaughtException', (err) => log(`uncaught exception: ${err.stack ?? err.message}`));
  process.on('unhandledRejection', (err) => log(`unhandled rejection: ${err instanceof Error ? err.stack : String(err)}`));

  const outbox: Outbox = new Outbox((full) => children.setOutboxFull(full));
  const children: Children = new Children({
    event: (message) => outbox.push(encodeMessage(message), message.type === 'exit' ? () => children.forget(message.key) : undefined),
    output: (key, stream, data) => outbox.push(encodeOutput(key, stream, data)),
  });
  const respawns: number[] = [];
  const exit = () => {
    if (readQuietly(paths.keeperPidFile) === String(process.pid)) rmSync(paths.keeperPidFile, { force: true });
    process.exit(0);
  };
  /** Ends the children (the daemon already stopped them gracefully, or a SIGTERM says to go) and the keeper. */
  const shutdown = async (signal: NodeJS.Signals = 'SIGKILL') => {
    for (const pid of children.livePids()) trySignal(pid, signal);
    const deadline = Date.now() + SHUTDOWN_WAIT_MS;
    while (children.livePids().length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    for (const pid of children.livePids()) trySignal(pid, 'SIGKILL');
    exit();
  };
  // SIGTERM to the keeper itself: its apps get SIGTERM and it goes (a daemon still running brings them back).
  process.on('SIGTERM', () => {
    log('received SIGTERM; ending every app it holds');
    void shutdown('SIGTERM');
  });
  const departed = (how: Departure) => {
    if (how === 'shutdown' || (foreground && how === 'died')) return void shutdown();
    if (how !== 'died') return log(how === 'handover' ? 'the daemon is handing over; waiting for the next one' : 'the daemon left');
    const decision = decideRespawn(respawns, Date.now());
    if (decision.action === 'give-up') return log(`the daemon died; ${decision.reason}`);
    log(`the daemon died; starting a new one${decision.delayMs ? ` in ${decision.delayMs} ms` : ''}`);
    respawns.push(Date.now());
    setTimeout(() => !link.connected && startSupProcess('daemon', paths), decision.delayMs);
  };
  const link = new DaemonLink(ensureToken(paths.token), children, outbox, { departed, log });
  const server = createServer((socket) => link.accept(socket));
  if ((await bindControlSocket(server, paths.keeperSocket, `${paths.bindLock}.keeper`, log)).kind === 'taken') {
    return log(`another keeper already answers on ${paths.keeperSocket}; exiting`);
  }
  writeFileSync(paths.keeperPidFile, String(process.pid), { mode: 0o600 });
  log(`keeper ${process.pid} (node ${process.version}) listening on ${paths.keeperSocket}${mode ? ` (${mode})` : ''}`);
  // Run by systemd (`sup startup`), the keeper comes first and starts the daemon, which brings back the saved list.
  if (mode === 'service') startSupProcess('daemon', paths, process.env[SUP_ENV.resurrect] ? { [SUP_ENV.resurrect]: '1' } : {});
  setInterval(() => {
    if (!link.connected && children.size === 0) exit();
  }, IDLE_EXIT_MS).unref();
}

function trySignal(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

function readQuietly(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return undefined;
  }
}
