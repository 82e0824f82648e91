import { readToken, TOKEN_HEADER, tokenPath } from '../auth-token.js';
import { SupError, type WireError } from '../errors.js';
import {
  MAX_FRAME_BYTES,
  PROTOCOL_VERSION,
  type ClientFrame,
  VERSION_AGNOSTIC,
  type RequestOf,
  type RequestType,
  type ResponseOf,
  type ServerFrame,
  type SupEvent,
  type Topic,
} from '../protocol/messages.js';
import { supVersion } from '../version.js';
import { UnixWebSocket } from './unix-ws.js';

interface Pending {
  resolve(value: unknown): void;
  reject(err: Error): void;
}

export interface DaemonIdentity {
  version: string;
  /** Absent in daemons from before the protocol had a number. */
  protocol: number | undefined;
  pid: number;
}

/** A typed connection to the daemon; also sup's programmatic API. */
export class SupClient {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Set<(event: SupEvent) => void>();
  private closeReason: SupError | undefined;
  readonly closed: Promise<void>;

  private constructor(
    private readonly ws: UnixWebSocket,
    readonly daemon: DaemonIdentity,
  ) {
    this.closed = new Promise((resolve) => ws.once('close', () => resolve()));
    ws.on('message', (data: Buffer) => this.receive(JSON.parse(data.toString()) as ServerFrame));
    ws.on('close', () => {
      this.closeReason ??= new SupError('DAEMON_UNREACHABLE', 'the sup daemon closed the connection');
      for (const p of this.pending.values()) p.reject(this.closeReason);
      this.pending.clear();
    });
  }

  /** Connects to a running daemon; fails with DAEMON_UNREACHABLE if none answers on the socket. */
  static connect(socketPath: string, timeoutMs = 5000): Promise<SupClient> {
    return new Promise((resolve, reject) => {
      const token = readToken(tokenPath(socketPath));
      // Not the `ws` package: its client loads http, https, tls, crypto and zlib (see unix-ws.ts).
      const ws = new UnixWebSocket(socketPath, { maxPayload: MAX_FRAME_BYTES, headers: token ? { [TOKEN_HEADER]: token } : {} });
      const timer = setTimeout(
        () => fail(new SupError('TIMEOUT', `the sup daemon did not answer on ${socketPath} within ${timeoutMs} ms`)),
        timeoutMs,
      );
      const fail = (err: Error) => {
        clearTimeout(timer);
        ws.removeAllListeners();
        ws.on('error', () => undefined);
        ws.terminate();
        reject(err);
      };
      ws.once('unexpected-response', (_req: unknown, res: { statusCode: number }) =>
        fail(
          new SupError(
            'UNAUTHORIZED',
            res.statusCode === 401
              ? `the sup daemon on ${socketPath} refused this client's token (${tokenPath(socketPath)}); is it your SUP_HOME?`
              : `the sup daemon on ${socketPath} refused the connection (HTTP ${res.statusCode})`,
          ),
        ),
      );
      ws.once('error', (err: NodeJS.ErrnoException) =>
        fail(new SupError('DAEMON_UNREACHABLE', `no sup daemon answers on ${socketPath} (${err.code ?? err.message})`, { cause: err })),
      );
      ws.once('message', (data: Buffer) => {
        clearTimeout(timer);
        const hello = JSON.parse(data.toString()) as ServerFrame;
        if (hello.kind !== 'hello') return fail(new SupError('BAD_REQUEST', 'the daemon did not greet; is this a sup socket?'));
        ws.removeAllListeners('error');
        ws.on('error', () => undefined);
        resolve(new SupClient(ws, { version: hello.version, protocol: hello.protocol, pid: hello.pid }));
      });
    });
  }

  request<K extends RequestType>(type: K, body: RequestOf<K>): Promise<ResponseOf<K>> {
    if (this.closeReason) return Promise.reject(this.closeReason);
    const sameBuild = this.daemon.version === supVersion() && this.daemon.protocol === PROTOCOL_VERSION;
    if (!sameBuild && !VERSION_AGNOSTIC.includes(type)) {
      const theirs =
        this.daemon.version === supVersion() ? `${this.daemon.version} (protocol ${this.daemon.protocol ?? 1})` : this.daemon.version;
      const ours = this.daemon.version === supVersion() ? `${supVersion()} (protocol ${PROTOCOL_VERSION})` : supVersion();
      return Promise.reject(
        new SupError(
          'VERSION_MISMATCH',
          `the running sup daemon is version ${theirs} but this sup is ${ours}; run \`sup update\` to replace it and keep your apps (or \`sup kill\`, which stops them)`,
        ),
      );
    }
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      const frame: ClientFrame = { id, type, body } as ClientFrame;
      this.ws.send(JSON.stringify(frame));
    });
  }

  /** Receives events for the given topics until the connection closes. */
  async subscribe(topics: Topic[], listener: (event: SupEvent) => void): Promise<() => void> {
    this.listeners.add(listener);
    await this.request('subscribe', { topics });
    return () => this.listeners.delete(listener);
  }

  close(): void {
    this.closeReason ??= new SupError('DAEMON_UNREACHABLE', 'connection closed');
    this.ws.close();
  }

  private receive(frame: ServerFrame): void {
    if (frame.kind === 'event') {
      for (const listener of this.listeners) listener(frame.event);
      return;
    }
    if (frame.kind !== 'reply' || frame.id === null) return;
    const pending = this.pending.get(frame.id);
    if (!pending) return;
    this.pending.delete(frame.id);
    if (frame.ok) pending.resolve(frame.result);
    else pending.reject(fromWire(frame.error));
  }
}

function fromWire(error: WireError): SupError {
  return new SupError(error.code, error.message);
}
