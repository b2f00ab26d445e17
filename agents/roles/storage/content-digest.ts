/**
 * Merkle digest of a content root: a file's digest is the sha256 of its bytes; a folder's is the sha256 over its
 * children's lines `kind name sizeBytes digest`, sorted by name. File hashes are cached by (size, mtime, inode), so a
 * walk re-reads only files that changed. Symlinks and special files are not content and are skipped (counted).
 */
import { createHash } from 'node:crypto';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { StorageTreeEntry } from '../../protocol';
import { fileSha256 } from '../common/file-sha256';

export interface DirNode {
  digest: string;
  sizeBytes: number;
  entries: StorageTreeEntry[];
}

export interface ContentDigest {
  rootDigest: string;
  files: number;
  bytes: number;
  skipped: number;
  /** Every folder by its path relative to the root ('' is the root). */
  dirs: Map<string, DirNode>;
}

interface CachedFile {
  sizeBytes: number;
  mtimeMs: number;
  ino: number;
  sha256: string;
}

export function dirLineOf(entry: StorageTreeEntry): string {
  return `${entry.kind} ${JSON.stringify(entry.name)} ${entry.sizeBytes} ${entry.digest}\n`;
}

export function dirDigestOf(entries: StorageTreeEntry[]): string {
  const hash = createHash('sha256');
  for (const e of [...entries].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) hash.update(dirLineOf(e));
  return hash.digest('hex');
}

export class ContentDigester {
  private cache = new Map<string, CachedFile>();

  constructor(private readonly root: string) {}

  async digest(): Promise<ContentDigest> {
    const dirs = new Map<string, DirNode>();
    const seen = new Map<string, CachedFile>();
    const counts = { files: 0, bytes: 0, skipped: 0 };
    const walk = async (rel: string): Promise<DirNode> => {
      const entries: StorageTreeEntry[] = [];
      const listing = await readdir(path.join(this.root, rel), { withFileTypes: true });
      for (const d of listing) {
        const childRel = rel ? `${rel}/${d.name}` : d.name;
        if (d.isDirectory()) {
          const node = await walk(childRel);
          entries.push({ name: d.name, kind: 'dir', sizeBytes: node.sizeBytes, digest: node.digest });
        } else if (d.isFile()) {
          const file = await this.fileDigest(childRel);
          if (!file) continue;
          seen.set(childRel, file);
          counts.files++;
          counts.bytes += file.sizeBytes;
          entries.push({ name: d.name, kind: 'file', sizeBytes: file.sizeBytes, digest: file.sha256 });
        } else {
          counts.skipped++;
        }
      }
      entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      const node: DirNode = { digest: dirDigestOf(entries), sizeBytes: entries.reduce((s, e) => s + e.sizeBytes, 0), entries };
      dirs.set(rel, node);
      return node;
    };
    const root = await walk('');
    this.cache = seen;
    return { rootDigest: root.digest, ...counts, dirs };
  }

  private async fileDigest(rel: string): Promise<CachedFile | undefined> {
    const full = path.join(this.root, rel);
    const st = await stat(full).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return undefined; // removed during the walk
      throw err;
    });
    if (!st) return undefined;
    const cached = this.cache.get(rel);
    if (cached && cached.sizeBytes === st.size && cached.mtimeMs === st.mtimeMs && cached.ino === st.ino) return cached;
    const { sha256, sizeBytes } = await fileSha256(full);
    return { sizeBytes, mtimeMs: st.mtimeMs, ino: st.ino, sha256 };
  }
}
