import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { resolvePaths } from '../paths.js';
import { decideRespawn } from './respawn-policy.js';

const DAEMON_ENTRY = fileURLToPath(new URL('../bin/sup-daemon.js', import.meta.url));

function log(message: string): void {
  process.stdout.write(`${new Date().toISOString()} guardian ${process.pid}: ${message}\n`);
}

/**
 * The guardian: a small process whose only job is to start the daemon again when it dies (kill -9, a crash,
 * the OOM killer). The new daemon finds the live state file and brings every app back. A daemon that stops on
 * request (`sup kill`, SIGTERM) ends the guardian too. Its stdout and stderr, shared with the daemon, are the daemon log.
 */
export function runGuardian(options: { resurrect: boolean }): void {
  const paths = resolvePaths();
  const respawns: number[] = [];
  let daemon: ChildProcess | undefined;
  let stopping: NodeJS.Signals | undefined;

  const exit = (code: number) => {
    try {
      if (readFileSync(paths.guardianPidFile, 'utf8').trim() === String(process.pid)) rmSync(paths.guardianPidFile, { force: true });
    } catch {
      // already gone
    }
    process.exit(code);
  };

  const start = (resurrect: boolean) => {
    const env = { ...process.env };
    if (resurrect) env.SUP_RESURRECT = '1';
    else delete env.SUP_RESURRECT;
    const child = fork(DAEMON_ENTRY, [], { env, stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: [] });
    let ready = false;
    child.on('message', (message: { type?: string }) => {
      if (message?.type !== 'sup-daemon-ready') return;
      ready = true;
      // Only the guardian of the daemon that owns the socket says so: one whose daemon lost a start race never does.
      writeFileSync(paths.guardianPidFile, String(process.pid), { mode: 0o600 });
    });
    child.on('error', (err) => log(`cannot start the daemon: ${err.message}`));
    child.once('exit', (code, signal) => {
      if (stopping) return exit(code ?? 0);
      const decision = decideRespawn({ code, signal, ready }, respawns, Date.now());
      log(`daemon ${child.pid}: ${decision.reason}`);
      if (decision.action === 'exit') return exit(decision.code);
      if (decision.action === 'give-up') return exit(1);
      respawns.push(Date.now());
      setTimeout(() => start(false), decision.delayMs);
    });
    daemon = child;
  };

  // Stopping the guardian stops the daemon the graceful way (it stops every app), then the guardian goes.
  const stop = (signal: NodeJS.Signals) => {
    stopping = signal;
    if (!daemon || daemon.exitCode !== null || daemon.signalCode !== null) return exit(0);
    daemon.kill(signal);
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGHUP', () => undefined);
  start(options.resurrect);
}
