import { close, closeSync, fdatasync, fsyncSync, open, openSync, readFileSync, rename, writeFile } from 'node:fs';
import { dirname } from 'node:path';
import { promisify } from 'node:util';
import { parseSnapshot, type Snapshot } from './snapshot.js';

export type SnapshotRead =
  | { kind: 'found'; snapshot: Snapshot; from: 'file' | 'backup'; warning?: string }
  | { kind: 'missing' }
  | { kind: 'unreadable'; reason: string };

/**
 * A snapshot on disk and its backup (`<file>.bak`, the previous good copy). A write goes to a temp
 * file, is fsynced and renamed over the file, so a reader sees the old or the new state, never a torn one;
 * a file found corrupt is never rotated into the backup, so the last good copy survives.
 */
export class SnapshotFile {
  /** Whether the file now on disk is good (written by us, or read and parsed); undefined until known. */
  private currentGood: boolean | undefined;
  /** Writes go one at a time (two `sup save` at once must not interleave their renames). */
  private writing: Promise<void> = Promise.resolve();

  constructor(readonly path: string) {}

  get backupPath(): string {
    return `${this.path}.bak`;
  }

  read(): SnapshotRead {
    const main = readText(this.path);
    const parsed = main === undefined ? undefined : parseSnapshot(main);
    this.currentGood = parsed?.ok === true;
    if (parsed?.ok) return { kind: 'found', snapshot: parsed.snapshot, from: 'file' };
    const backupText = readText(this.backupPath);
    const backup = backupText === undefined ? undefined : parseSnapshot(backupText);
    const problem = parsed ? `${this.path} is unusable (${parsed.reason})` : `${this.path} is missing`;
    if (backup?.ok)
      return { kind: 'found', snapshot: backup.snapshot, from: 'backup', warning: `${problem}; using the backup ${this.backupPath}` };
    if (!parsed && !backup) return { kind: 'missing' };
    return { kind: 'unreadable', reason: `${problem}${backup ? `, and so is its backup (${backup.reason})` : ' and there is no backup'}` };
  }

  write(snapshot: Snapshot): Promise<void> {
    const next = this.writing.then(() => this.writeNow(snapshot));
    this.writing = next.catch(() => undefined);
    return next;
  }

  private async writeNow(snapshot: Snapshot): Promise<void> {
    // One name per process is enough: writes to a file go one at a time, and only one daemon owns a SUP_HOME.
    const tmp = `${this.path}.tmp-${process.pid}`;
    // Node's callback fs, not fs/promises, which would load a dozen more modules (readline, fs watchers) into the
    // daemon's start for these few calls (5 ms of it, measured).
    const fd = await promisify(open)(tmp, 'w', 0o600);
    try {
      await promisify(writeFile)(fd, JSON.stringify(snapshot));
      await promisify(fdatasync)(fd);
    } finally {
      await promisify(close)(fd);
    }
    // Only a good file becomes the backup: a corrupt one must not push out the last good copy.
    this.currentGood ??= isGood(this.path);
    if (this.currentGood) await promisify(rename)(this.path, this.backupPath).catch(ignoreMissing);
    await promisify(rename)(tmp, this.path);
    this.currentGood = true;
    syncDir(dirname(this.path));
  }
}

function isGood(path: string): boolean {
  const text = readText(path);
  return text !== undefined && parseSnapshot(text).ok;
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

function ignoreMissing(err: NodeJS.ErrnoException): void {
  if (err.code !== 'ENOENT') throw err;
}

/** The renames themselves reach the disk only once the folder is synced. */
function syncDir(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Not every platform can fsync a folder; the rename is still atomic.
  }
}
