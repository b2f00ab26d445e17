/** Content-addressed blobs: `<dir>/<first two hex>/<sha256>`, written atomically, verified on every read. */
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../../../lib/atomic-write';

export class SnapshotNotFoundError extends Error {
  constructor(readonly hash: string) {
    super(`no stored config with hash ${hash}`);
  }
}

/** A stored blob whose bytes no longer hash to its name. It is kept (moved aside when repaired), never dropped. */
export class CorruptBlobError extends Error {
  constructor(
    readonly hash: string,
    readonly file: string,
    readonly actualHash: string,
  ) {
    super(`the stored config ${file} is corrupt: its bytes hash to ${actualHash}, not ${hash}`);
  }
}

const HASH = /^[0-9a-f]{64}$/;

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export class BlobStore {
  private readonly known = new Set<string>();

  private constructor(readonly dir: string) {}

  /** Opens (creating) the blob folder and learns which hashes it holds. */
  static async open(dir: string): Promise<BlobStore> {
    const store = new BlobStore(dir);
    await mkdir(dir, { recursive: true });
    for (const shard of await readdir(dir)) {
      if (!/^[0-9a-f]{2}$/.test(shard)) continue;
      for (const name of await readdir(path.join(dir, shard))) if (HASH.test(name)) store.known.add(name);
    }
    return store;
  }

  has(hash: string): boolean {
    return this.known.has(hash);
  }

  get size(): number {
    return this.known.size;
  }

  fileOf(hash: string): string {
    if (!HASH.test(hash)) throw new Error(`not a sha256: ${JSON.stringify(hash.slice(0, 80))}`);
    return path.join(this.dir, hash.slice(0, 2), hash);
  }

  /** Stores bytes under their sha256. An existing blob is checked; a corrupt one is moved aside and rewritten. */
  async put(bytes: Uint8Array): Promise<{ hash: string; created: boolean; repaired: CorruptBlobError | null }> {
    const hash = sha256Hex(bytes);
    const file = this.fileOf(hash);
    let repaired: CorruptBlobError | null = null;
    if (this.known.has(hash)) {
      try {
        await this.get(hash);
        return { hash, created: false, repaired: null };
      } catch (err) {
        if (!(err instanceof CorruptBlobError) && !(err instanceof SnapshotNotFoundError)) throw err;
        if (err instanceof CorruptBlobError) {
          repaired = err;
          await rename(file, `${file}.corrupt-${Date.now()}`);
        }
      }
    }
    await mkdir(path.dirname(file), { recursive: true });
    await writeFileAtomic(file, bytes);
    this.known.add(hash);
    return { hash, created: repaired === null, repaired };
  }

  /** The bytes of a blob, verified against their name. */
  async get(hash: string): Promise<Buffer> {
    const file = this.fileOf(hash);
    let bytes: Buffer;
    try {
      bytes = await readFile(file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        this.known.delete(hash);
        throw new SnapshotNotFoundError(hash);
      }
      throw err;
    }
    const actual = sha256Hex(bytes);
    if (actual !== hash) throw new CorruptBlobError(hash, file, actual);
    return bytes;
  }
}
