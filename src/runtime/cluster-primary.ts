import cluster, { type Worker } from 'node:cluster';
import { WORKER_TAG, isWorkerControl, type FromPrimary, type ToPrimary, type ToWorker } from '../protocol/primary.js';

/**
 * The cluster primary of one app: forks its workers, which share the app's listening sockets
 * (Node's round-robin), and relays their events to the daemon. It holds no policy: the daemon
 * decides when to fork, drain, signal or kill. Started by the daemon, one per cluster app.
 */
export function runClusterPrimary(): void {
  const workers = new Map<number, Worker>();
  const send = (message: FromPrimary) => {
    if (process.connected) process.send!(message);
  };

  const fork = (key: number, env: Record<string, string>) => {
    const worker = cluster.fork(env);
    workers.set(key, worker);
    const pid = worker.process.pid;
    if (pid !== undefined) send({ type: 'spawned', key, pid });
    worker.process.stdout?.on('data', (data: Buffer) => send({ type: 'output', key, stream: 'out', data }));
    worker.process.stderr?.on('data', (data: Buffer) => send({ type: 'output', key, stream: 'err', data }));
    worker.on('listening', () => send({ type: 'listening', key }));
    worker.on('message', (message: unknown) => {
      if (isWorkerControl(message)) send({ type: 'drained', key });
      else if (message === 'ready') send({ type: 'ready', key });
      else send({ type: 'message', key, data: message });
    });
    worker.on('error', () => undefined); // a send to a dying worker; its exit event follows
    worker.on('exit', (code, signal) => {
      workers.delete(key);
      send({ type: 'exit', key, code, signal });
    });
  };

  const handle = (message: ToPrimary) => {
    switch (message.type) {
      case 'setup':
        cluster.setupPrimary({ exec: message.script, args: message.args, execArgv: message.execArgv, cwd: message.cwd, silent: true });
        return;
      case 'fork':
        return fork(message.key, message.env);
      case 'send':
        return void workers.get(message.key)?.send(message.message as never);
      case 'drain': {
        const drain: ToWorker = { [WORKER_TAG]: 'drain', graceMs: message.graceMs };
        const worker = workers.get(message.key);
        if (!worker?.isConnected()) return send({ type: 'drained', key: message.key });
        worker.send(drain);
        return;
      }
    }
  };

  process.on('message', (message) => handle(message as ToPrimary));
  // Without its daemon nobody supervises the workers: stop them and go, leaving nothing behind.
  process.on('disconnect', () => {
    for (const worker of workers.values()) worker.process.kill('SIGTERM');
    setTimeout(() => {
      for (const worker of workers.values()) worker.process.kill('SIGKILL');
      process.exit(0);
    }, 5000).unref();
    cluster.on('exit', () => workers.size === 0 && process.exit(0));
    if (workers.size === 0) process.exit(0);
  });
  // The daemon stops the workers itself before it stops a primary; these only end the primary.
  process.on('SIGTERM', () => process.exit(0));
  process.on('SIGINT', () => process.exit(0));
}
