import {
  createReadStream,
  createWriteStream,
  existsSync,
  fstatSync,
  mkdirSync,
  openSync,
  renameSync,
  rmSync,
  statSync,
  truncateSync,
  type WriteStream,
} from 'node:fs';
import { dirname } from 'node:path';
import type { WriteBarrier } from './write-barrier.js';
import { removeExpired } from './log-retention.js';
import { nextRotation } from './rotation-schedule.js';
import { asideName, lineBoundary, type RotationPolicy, rotatedName, shiftPlan } from './rotation.js';

// Past this much unwritten output the file is "congested" and its sources should pause.
const CONGESTED_BYTES = 8 * 1024 * 1024;
// How often a file that failed is tried again, and how often an open file is checked for deletion.
const RETRY_MS = 10_000;
const CHECK_MS = 1000;

type State = 'closed' | 'open' | 'failed';

/**
 * One log file with the daemon as its only writer, so that rotation is exact: the file is renamed
 * at a line boundary (writes still queued follow the open descriptor into the renamed file) and a
 * fresh one is opened; nothing is lost or written twice. A file deleted or renamed by someone else
 * is noticed within a second and recreated. Write failures (a full disk) are reported once.
 */
export class LogFile {
  private state: State = 'closed';
  /** Only regular files rotate: a FIFO, a device or /dev/stdout is written to, never renamed. */
  private rotatable = false;
  private stream: WriteStream | undefined;
  private inode = 0;
  private size = 0;
  private lastCheck = 0;
  private failedAt = 0;
  private problemReported = false;
  private rotations: Promise<void> = Promise.resolve();
  private drained: { stream: WriteStream; promise: Promise<void> } | undefined;
  private rotationSeq = 0;
  private dueAt: number | null = null; // when it rotates by time next (log_rotate_interval), at a line end

  constructor(
    readonly path: string,
    private readonly rotation: RotationPolicy,
    private readonly report: (message: string) => void,
    private readonly barrier?: WriteBarrier,
  ) {}

  /** Appends; returns a promise when the file is congested, resolved once it has drained. */
  write(chunk: Buffer): Promise<void> | undefined {
    if (chunk.length === 0 || !this.ready()) return undefined;
    const { maxBytes } = this.rotation;
    const due =
      (maxBytes > 0 && this.size + chunk.length >= maxBytes) || (this.dueAt !== null && this.size > 0 && Date.now() >= this.dueAt);
    if (due && this.rotatable) {
      const cut = lineBoundary(chunk);
      if (cut !== -1) {
        this.append(chunk.subarray(0, cut));
        this.rotate();
        if (cut < chunk.length) this.append(chunk.subarray(cut));
        return this.congestion();
      }
    }
    this.append(chunk);
    return this.congestion();
  }

  /** `sup flush`: empties the file, open or not (writes are appends, so they continue at the new end). */
  truncate(): void {
    if (!this.regular()) return;
    try {
      truncateSync(this.path, 0);
      this.size = 0;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') this.report(`cannot empty ${this.path}: ${(err as Error).message}`);
    }
  }

  /** `sup reload-logs`: opens the path again, after an external tool renamed the file. */
  reopen(): void {
    this.retire();
    this.state = 'closed';
  }

  async close(): Promise<void> {
    const stream = this.stream;
    this.stream = undefined;
    this.state = 'closed';
    if (stream) await new Promise<void>((resolve) => stream.end(resolve));
    await this.rotations;
  }

  private ready(): boolean {
    const now = Date.now();
    if (this.state === 'failed' && now - this.failedAt < RETRY_MS) return false;
    let replaced = false;
    if (this.state === 'open' && now - this.lastCheck >= CHECK_MS) {
      this.lastCheck = now;
      if (!this.stillOurs()) {
        replaced = true;
        this.reopen();
      }
    }
    if (this.state !== 'open') this.open();
    // Lines of the last second went to a file nobody may open any more: said once per disappearance (a new file
    // that cannot be made is reported as that instead).
    if (replaced && this.state === 'open')
      this.report(`${this.path} was removed or renamed; writing to a new file there (lines of the last second went to the old one)`);
    return this.state === 'open';
  }

  private regular(): boolean {
    try {
      return statSync(this.path).isFile();
    } catch {
      return false;
    }
  }

  private stillOurs(): boolean {
    try {
      return statSync(this.path).ino === this.inode;
    } catch {
      return false;
    }
  }

  private open(): void {
    try {
      mkdirSync(dirname(this.path), { recursive: true });
      const fd = openSync(this.path, 'a', 0o640);
      const stat = fstatSync(fd);
      [this.inode, this.size, this.lastCheck, this.rotatable] = [stat.ino, stat.size, Date.now(), stat.isFile()];
      // A file already written to is due from its last write: lines of yesterday do not wait for tonight.
      this.dueAt = nextRotation(this.rotation.interval ?? null, stat.size > 0 ? stat.mtimeMs : Date.now());
      const stream = createWriteStream('', { fd, flags: 'a' });
      stream.on('error', (err) => {
        if (this.stream === stream) this.fail(err);
      });
      this.stream = stream;
      this.state = 'open';
      if (this.problemReported) {
        // Confirmed by the first write that succeeds.
        stream.write(Buffer.alloc(0), (err) => {
          if (!err && this.problemReported) {
            this.problemReported = false;
            this.report(`writing ${this.path} works again`);
          }
        });
      }
    } catch (err) {
      this.fail(err as Error);
    }
  }

  private append(chunk: Buffer): void {
    const stream = this.stream;
    if (!stream) return;
    if (this.barrier) this.barrier.track(this, new Promise<void>((resolve) => stream.write(chunk, () => resolve())));
    else stream.write(chunk);
    this.size += chunk.length;
  }

  /** One promise per backlog, however many writes ask: listeners must not pile up on the stream. */
  private congestion(): Promise<void> | undefined {
    const stream = this.stream;
    if (!stream || stream.writableLength < CONGESTED_BYTES) return undefined;
    if (this.drained?.stream !== stream) {
      const promise = new Promise<void>((resolve) => {
        const done = () => {
          stream.off('drain', done);
          stream.off('close', done);
          if (this.drained?.stream === stream) this.drained = undefined;
          resolve();
        };
        stream.on('drain', done);
        stream.on('close', done);
      });
      this.drained = { stream, promise };
    }
    return this.drained.promise;
  }

  private fail(err: Error): void {
    this.retire();
    this.state = 'failed';
    this.failedAt = Date.now();
    if (!this.problemReported) {
      this.problemReported = true;
      this.report(`cannot write ${this.path}: ${err.message}; output for it is dropped and the file is retried every ${RETRY_MS / 1000} s`);
    }
  }

  /** Ends the current stream; what it still holds lands in whatever file its descriptor points at. */
  private retire(): WriteStream | undefined {
    const stream = this.stream;
    this.stream = undefined;
    if (stream) {
      stream.removeAllListeners('error');
      stream.on('error', () => undefined);
      stream.end();
    }
    return stream;
  }

  /**
   * The current file moves aside under a unique name at once (so new lines start a fresh file);
   * numbering, retention and compression follow in order, one rotation at a time.
   */
  private rotate(): void {
    const aside = asideName(this.path, process.pid, ++this.rotationSeq);
    try {
      renameSync(this.path, aside);
    } catch (err) {
      this.report(`cannot rotate ${this.path}: ${(err as Error).message}`);
      return;
    }
    const old = this.retire();
    this.state = 'closed';
    this.open();
    const finished = old ? new Promise<void>((resolve) => old.once('close', () => resolve())) : Promise.resolve();
    this.rotations = this.rotations
      .then(() => finished)
      .then(() => this.settle(aside))
      .catch((err: Error) => this.report(`rotating ${this.path} failed: ${err.message}`));
  }

  private async settle(aside: string): Promise<void> {
    const { retain, compress } = this.rotation;
    const plan = shiftPlan(this.path, retain, existsSync);
    for (const name of plan.remove) rmSync(name, { force: true });
    for (const [from, to] of plan.renames) renameSync(from, to);
    if (compress) {
      // zlib loads with the first compressed rotation, not with every process that writes logs.
      const [{ pipeline }, { createGzip }] = [process.getBuiltinModule('node:stream/promises'), process.getBuiltinModule('node:zlib')];
      await pipeline(createReadStream(aside), createGzip(), createWriteStream(rotatedName(this.path, 1, true)));
      rmSync(aside, { force: true });
    } else renameSync(aside, rotatedName(this.path, 1, false));
    removeExpired(this.path, this.rotation.maxAgeMs ?? 0);
  }
}
