/**
 * Copying segments from a peer, in two stages so the network never waits for the disk: `fetchVerified` streams the
 * bytes into a temp file and checks size and sha256 against the peer's index; a BatchCommitter makes a batch of
 * verified temp files durable (one syncfs, or an fsync each where `sync` is missing), only then moves each into
 * place (never over an existing file unless repairing bit rot), fsyncs the folder and indexes them.
 */
import { randomBytes } from 'node:crypto';
import { type FileHandle, link, open, rename, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { SegmentEntry } from '../../protocol';
import { fsyncDir } from '../common/atomic-write';
import { syncFileSystem } from '../common/sync-file-system';
import { PeerClient, PeerRefusal } from './peer-client';
import type { StreamArchive } from './stream-archive';

export interface CopyWork {
  peer: SegmentEntry;
  /** Replace a local copy with bit rot (the only case a segment file is ever replaced). */
  repair: boolean;
}

/** A verified temp file, closed, not yet durable. */
export interface Fetched {
  work: CopyWork;
  tmp: string;
}

/** Streams one segment to a temp file; answers it verified, or throws (the temp file is gone then). */
export async function fetchVerified(archive: StreamArchive, client: PeerClient, work: CopyWork, onBytes: (n: number) => void): Promise<Fetched> {
  const { name } = work.peer;
  const tmp = path.join(archive.dir, `.${name}.part-${randomBytes(4).toString('hex')}`);
  let fh: FileHandle | undefined;
  try {
    const q = `/v1/archive/segment?stream=${encodeURIComponent(archive.stream)}&name=${encodeURIComponent(name)}`;
    const { sha256 } = await client.fetchSegment(q, work.peer.sizeBytes, async () => (fh = await open(tmp, 'wx', 0o644)), onBytes);
    if (sha256 !== work.peer.sha256) {
      throw new PeerRefusal(`sha256 ${sha256.slice(0, 12)}… of the bytes sent does not match the peer's index ${work.peer.sha256.slice(0, 12)}…`);
    }
    const done = fh!;
    fh = undefined;
    await done.close();
    return { work, tmp };
  } catch (err) {
    await discard(tmp, fh, err as Error);
    throw err;
  }
}

/** Moves a durable temp file into place (link: never over an existing file; rename over a rotten copy) and indexes it. */
async function place(archive: StreamArchive, f: Fetched): Promise<void> {
  const finalPath = archive.segmentPath(f.work.peer.name);
  try {
    if (f.work.repair) await rename(f.tmp, finalPath);
    else await link(f.tmp, finalPath);
  } catch (err) {
    const e = (err as NodeJS.ErrnoException).code === 'EEXIST' ? new Error('a file of that name appeared meanwhile; left alone') : (err as Error);
    await discard(f.tmp, undefined, e);
    throw e;
  }
  if (!f.work.repair) await unlink(f.tmp);
  const { mtimeMs } = await stat(finalPath);
  const { rot: _peerRot, ...entry } = f.work.peer;
  archive.index.put({ ...entry, mtimeMs });
  archive.noteStart(entry.startMs);
}

async function fsyncFile(file: string): Promise<void> {
  const fh = await open(file, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Closes and removes a temp file; a failure to clean up is added to the error that got us here. */
async function discard(tmp: string, fh: FileHandle | undefined, cause: Error): Promise<void> {
  const problems: string[] = [];
  if (fh) await fh.close().catch((err: Error) => problems.push(`close: ${err.message}`));
  await unlink(tmp).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'ENOENT') problems.push(`remove: ${err.message}`);
  });
  if (problems.length > 0) cause.message += `; and the temp file ${tmp} could not be cleaned up (${problems.join('; ')})`;
}

export interface BatchCommitterOptions {
  /** A batch is committed once it holds this many bytes (and at the end). */
  batchBytes: number;
  onPlaced(f: Fetched): void;
  onFailed(f: Fetched, err: Error): void;
  onProblem(message: string): void;
}

/**
 * Collects verified temp files and commits them in batches, one batch at a time; `add` waits only when a full batch
 * is ready while the previous one is still committing, so fetching and flushing overlap.
 */
export class BatchCommitter {
  private batch: Fetched[] = [];
  private batchBytes = 0;
  private committing: Promise<void> = Promise.resolve();
  private useSyncfs = true;

  constructor(
    private readonly archive: StreamArchive,
    private readonly opts: BatchCommitterOptions,
  ) {}

  async add(f: Fetched): Promise<void> {
    this.batch.push(f);
    this.batchBytes += f.work.peer.sizeBytes;
    if (this.batchBytes >= this.opts.batchBytes) await this.commitBatch();
  }

  /** Commits what is left and waits for every commit. */
  async finish(): Promise<void> {
    await this.commitBatch();
    await this.committing;
  }

  /** Chains the batch after the previous one and waits for that previous one (backpressure on the fetchers). */
  private async commitBatch(): Promise<void> {
    const batch = this.batch;
    this.batch = [];
    this.batchBytes = 0;
    const previous = this.committing;
    if (batch.length > 0) this.committing = previous.then(() => this.commit(batch));
    await previous;
  }

  private async commit(batch: Fetched[]): Promise<void> {
    let durable = batch;
    try {
      await this.makeDurable(batch);
    } catch (err) {
      durable = [];
      for (const f of batch) {
        const e = new Error(`could not make the copy durable: ${(err as Error).message}`);
        await discard(f.tmp, undefined, e);
        this.opts.onFailed(f, e);
      }
    }
    for (const f of durable) {
      await place(this.archive, f).then(
        () => this.opts.onPlaced(f),
        (err: Error) => this.opts.onFailed(f, err),
      );
    }
    if (durable.length > 0) {
      await fsyncDir(this.archive.dir).catch((err: Error) => this.opts.onProblem(`fsync of ${this.archive.dir} failed: ${err.message}`));
    }
  }

  private async makeDurable(batch: Fetched[]): Promise<void> {
    if (this.useSyncfs) {
      try {
        await syncFileSystem(this.archive.dir);
        return;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
        this.useSyncfs = false; // no `sync` program on this host: an fsync per file, below
      }
    }
    for (const f of batch) await fsyncFile(f.tmp);
  }
}
