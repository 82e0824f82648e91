import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { FAREWELL } from './guardian.js';

const GUARDIAN_ENTRY = fileURLToPath(new URL('../../bin/sup-guardian.js', import.meta.url));

/**
 * The daemon's end of the guardian: started once the daemon owns its socket (so a daemon that fails to start is
 * never restarted, and the first command does not wait for it), detached so that it outlives the daemon.
 */
export class GuardianLink {
  private readonly child: ChildProcess;
  private leaving = false;

  constructor(log: (message: string) => void) {
    this.child = fork(GUARDIAN_ENTRY, [], { detached: true, stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: [] });
    this.child.on('error', (err) => log(`guardian: ${err.message}`));
    this.child.once('exit', (code, signal) => {
      if (!this.leaving)
        log(`the guardian (pid ${this.child.pid}) exited (${signal ?? `code ${code}`}); this daemon is unguarded until it restarts`);
    });
    // The channel must not keep the daemon alive on its own, nor the daemon the guardian.
    this.child.unref();
    this.child.channel?.unref();
  }

  /** Before an exit on purpose: the guardian must not take it for a death. Resolves once the word is out. */
  farewell(): Promise<void> {
    this.leaving = true;
    if (!this.child.connected) return Promise.resolve();
    return new Promise((resolve) => this.child.send({ type: FAREWELL }, () => resolve()));
  }
}
