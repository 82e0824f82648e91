import http from 'node:http';
import { get } from './cl-http.js';

export interface LoadResult {
  ok: number;
  failed: number;
  /** The first few failures, to show in an assertion message. */
  samples: string[];
  /** Pids that answered (first word of the body). */
  pids: Set<number>;
  /** Why the load ended: told to stop, or one of its bounds. */
  endedBy: 'stop' | 'max-requests' | 'max-duration';
}

export interface Load {
  stop(): Promise<LoadResult>;
}

/**
 * Keep-alive clients sending GETs back to back (or pauseMs apart) until stopped, bounded in requests and time so that
 * a stuck test never turns into a benchmark. Failures are errors and non-200 answers.
 */
export function startLoad(port: number, options: { clients?: number; pauseMs?: number; maxRequests?: number; maxMs?: number } = {}): Load {
  const clients = options.clients ?? 8;
  const maxRequests = options.maxRequests ?? 20_000;
  const end = Date.now() + (options.maxMs ?? 20_000);
  const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
  const result: LoadResult = { ok: 0, failed: 0, samples: [], pids: new Set(), endedBy: 'stop' };
  let stopped = false;

  const fail = (what: string) => {
    result.failed++;
    if (result.samples.length < 10) result.samples.push(what);
  };
  const client = async () => {
    for (;;) {
      if (stopped) return;
      if (result.ok + result.failed >= maxRequests) return void (result.endedBy = 'max-requests');
      if (Date.now() > end) return void (result.endedBy = 'max-duration');
      try {
        const reply = await get(port, agent, 5000);
        if (reply.status === 200) {
          result.ok++;
          result.pids.add(Number(reply.body.split(' ')[0]));
        } else fail(`HTTP ${reply.status}: ${reply.body}`);
      } catch (err) {
        fail((err as NodeJS.ErrnoException).code ?? (err as Error).message);
      }
      // A short pause keeps the load light and leaves keep-alive sockets idle now and then, which is when a careless close loses a request.
      if (options.pauseMs) await new Promise((r) => setTimeout(r, options.pauseMs));
    }
  };
  const running = Promise.all(Array.from({ length: clients }, client));
  return {
    async stop() {
      stopped = true;
      await running;
      agent.destroy();
      return result;
    },
  };
}
