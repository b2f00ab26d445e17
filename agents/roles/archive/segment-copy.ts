/**
 * Copying segments from a peer, in stages so the network never waits for the disk: `fetchVerified` streams the
 * bytes into a temp file (hashing them on the way) and checks size and sha256 against the peer's index; a Committer
 * then makes each verified temp file durable (fdatasync, a few at a time, while the next ones arrive), and only then
 * moves a batch of them into place (never over an existing file unless repairing bit rot), fsyncs the folder once
 * per batch and indexes them. A name under the stream's folder only ever holds verified, fsynced bytes.
 */
import { randomBytes } from 'node:crypto';
import { type FileHandle, link, open, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { SegmentEntry } from '../../protocol';
import { fsyncDir } from '../../../lib/atomic-write';
import { type PeerClient, PeerRefusal } from './peer-client';
import type { StreamArchive } from './stream-archive';

export interface CopyWork {
  peer: SegmentEntry;
  /** Replace a local copy with bit rot (the only case a segment file is ever replaced). */
  repair: boolean;
}

/** A verified temp file, still open, not yet durable. */
export interface Fetched {
  work: CopyWork;
  tmp: string;
  fh: FileHandle;
}

/** A verified temp file whose bytes are on disk (fdatasync done), closed, waiting to be moved into place. */
interface Durable {
  work: CopyWork;
  tmp: string;
  mtimeMs: number;
}

/** Streams one segment to a temp file; answers it verified and still open, or throws (the temp file is gone then). */
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
    return { work, tmp, fh: fh! };
  } catch (err) {
    await discard(tmp, fh, err as Error);
    throw err;
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

export interface CommitterOptions {
  /** Verified files being made durable at once; `add` waits while this many are (backpressure on the fetchers). */
  maxSyncing: number;
  /** Durable files moved into place together, with one fsync of the folder. */
  placeBatch: number;
  onPlaced(work: CopyWork): void;
  onFailed(work: CopyWork, err: Error): void;
  onProblem(message: string): void;
}

/**
 * Takes verified temp files and commits them: fdatasync each (a few at once, in the background, so the disk writes
 * while the network reads), then, in batches and one batch at a time, link each into place, remove its temp name,
 * fsync the folder once, and index them. Every file is durable before it gets its name; the folder fsync makes the
 * names durable before the index lists them.
 */
export class Committer {
  private syncing = 0;
  private readonly roomWaiters: (() => void)[] = [];
  private readonly syncs = new Set<Promise<void>>();
  private ready: Durable[] = [];
  private placing: Promise<void> = Promise.resolve();

  constructor(
    private readonly archive: StreamArchive,
    private readonly opts: CommitterOptions,
  ) {}

  /**
   * Hands over a verified open temp file (the committer closes it). Waits first while `maxSyncing` files are being
   * made durable; resolves once this one is started, not when it is durable.
   */
  async add(f: Fetched): Promise<void> {
    while (this.syncing >= this.opts.maxSyncing) await new Promise<void>((resolve) => this.roomWaiters.push(resolve));
    this.syncing++;
    const p: Promise<void> = this.makeDurable(f).finally(() => {
      this.syncs.delete(p);
      this.syncing--;
      this.roomWaiters.shift()?.();
    });
    this.syncs.add(p);
  }

  /** Makes durable and places everything handed over; resolves when all of it is in place (or failed). */
  async finish(): Promise<void> {
    while (this.syncs.size > 0) await Promise.all([...this.syncs]);
    await this.placeReady();
  }

  private async makeDurable(f: Fetched): Promise<void> {
    let fh: FileHandle | undefined = f.fh;
    let mtimeMs: number;
    try {
      await fh.datasync();
      ({ mtimeMs } = await fh.stat());
      const closing = fh;
      fh = undefined;
      await closing.close();
    } catch (err) {
      const e = new Error(`could not make the copy durable: ${(err as Error).message}`);
      await discard(f.tmp, fh, e);
      this.opts.onFailed(f.work, e);
      return;
    }
    this.ready.push({ work: f.work, tmp: f.tmp, mtimeMs });
    if (this.ready.length >= this.opts.placeBatch) void this.placeReady();
  }

  /** Chains a placement of what is ready after the one before (never two at once) and answers the chain. */
  private placeReady(): Promise<void> {
    const batch = this.ready;
    this.ready = [];
    if (batch.length > 0) {
      // Never a rejected chain: a failure is reported and the next batch still gets placed.
      this.placing = this.placing.then(() => this.place(batch)).catch((err: Error) => this.opts.onProblem(`placing segments failed: ${err.message}`));
    }
    return this.placing;
  }

  private async place(batch: Durable[]): Promise<void> {
    const linked = await Promise.all(
      batch.map((d) =>
        this.link(d).then(
          () => d,
          (err: Error) => {
            this.opts.onFailed(d.work, err);
            return undefined;
          },
        ),
      ),
    );
    const placed = linked.filter((d): d is Durable => d !== undefined);
    if (placed.length === 0) return;
    await fsyncDir(this.archive.dir).catch((err: Error) => this.opts.onProblem(`fsync of ${this.archive.dir} failed: ${err.message}`));
    for (const d of placed) {
      const { rot: _peerRot, ...entry } = d.work.peer;
      this.archive.index.put({ ...entry, mtimeMs: d.mtimeMs });
      this.archive.noteStart(entry.startMs);
      this.opts.onPlaced(d.work);
    }
  }

  /** Gives a durable temp file its segment name: a new hard link (never over an existing file), or a rename over a rotten copy. */
  private async link(d: Durable): Promise<void> {
    const finalPath = this.archive.segmentPath(d.work.peer.name);
    try {
      if (d.work.repair) await rename(d.tmp, finalPath);
      else await link(d.tmp, finalPath);
    } catch (err) {
      const e = (err as NodeJS.ErrnoException).code === 'EEXIST' ? new Error('a file of that name appeared meanwhile; left alone') : (err as Error);
      await discard(d.tmp, undefined, e);
      throw e;
    }
    if (!d.work.repair) {
      await unlink(d.tmp).catch((err: Error) => this.opts.onProblem(`${d.work.peer.name} is in place but its temp name ${d.tmp} could not be removed: ${err.message}`));
    }
  }
}
