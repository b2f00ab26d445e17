/**
 * One stream's folder and index kept in step: recorded segments are named and moved in, the folder is listed for
 * files that appeared or vanished, and files are re-hashed (on size/mtime change, and slowly in the background)
 * to find bit rot. A segment whose bytes no longer match its index keeps its recorded hash and is flagged `rot`.
 */
import { link, mkdir, open, readdir, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { segmentNameForStartMs, startMsOfSegmentName } from '../../protocol';
import { fileSha256 } from '../common/file-sha256';
import type { StagedSegment } from './recorder';
import { type LocalEntry, StreamIndex } from './segment-index';

/** Temp files of pulls in progress: never a segment name, so never served or indexed. */
export const PART_FILE_PATTERN = /^\..+\.part-[0-9a-f]+$/;
/** A file that appeared in the folder is indexed once it has been left alone this long. */
export const SETTLE_MS = 2000;
/** Index entries stat-checked per scan, in rotation. */
const STAT_BATCH = 2000;

export type Report = (kind: string, message: string) => void;

export class StreamArchive {
  readonly index: StreamIndex;
  readonly dir: string;
  conflicts = 0;
  /** Names a pull is writing right now; scans and other pulls leave them alone. */
  readonly inFlight = new Set<string>();
  private lastStartMs = 0;
  private statCursor: string | undefined;
  private scrubCursor: string | undefined;

  constructor(
    readonly stream: string,
    root: string,
    indexDir: string,
    private readonly segmentSeconds: number,
    private readonly report: Report,
  ) {
    this.dir = path.join(root, stream);
    this.index = new StreamIndex(stream, path.join(indexDir, stream));
  }

  async open(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const { corrupt } = await this.index.load();
    for (const c of corrupt) {
      this.report('archive.index-corrupt', `${this.stream}: index file ${c.file} is unreadable (${c.reason}); kept as ${c.movedTo}, its segments are re-hashed from the tree`);
    }
    for (const name of await readdir(this.dir)) {
      if (!PART_FILE_PATTERN.test(name)) continue;
      await unlink(path.join(this.dir, name));
      this.report('archive.partial-removed', `${this.stream}: removed ${name}, left by an interrupted pull`);
    }
    for (const e of this.index.entries()) this.lastStartMs = Math.max(this.lastStartMs, e.startMs);
  }

  /** The path of a segment; the name must already be a valid segment name (checked by the caller's schema). */
  segmentPath(name: string): string {
    if (startMsOfSegmentName(name) === undefined) throw new Error(`not a segment name: ${JSON.stringify(name)}`);
    return path.join(this.dir, name);
  }

  /** Names a closed recorder segment by its start time (never reusing a name) and indexes it. */
  async addStaged(staged: StagedSegment): Promise<void> {
    let startMs = Math.max(staged.startMs, this.lastStartMs + 1);
    for (let attempt = 0; ; attempt++, startMs++) {
      const name = segmentNameForStartMs(startMs);
      try {
        await link(staged.stagedPath, path.join(this.dir, name));
        await unlink(staged.stagedPath);
        this.lastStartMs = startMs;
        await this.indexFile(name, { startMs, durationMs: staged.durationMs, fsync: true });
        return;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 1000) throw err;
      }
    }
  }

  /** Hashes a file of the tree and indexes it under its name. */
  async indexFile(name: string, meta: { startMs: number; durationMs: number; fsync?: boolean }): Promise<LocalEntry> {
    const file = this.segmentPath(name);
    if (meta.fsync) {
      const fh = await open(file, 'r');
      try {
        await fh.sync();
      } finally {
        await fh.close();
      }
    }
    const { sha256, sizeBytes } = await fileSha256(file);
    const st = await stat(file);
    const entry: LocalEntry = { name, startMs: meta.startMs, durationMs: meta.durationMs, sizeBytes, sha256, mtimeMs: st.mtimeMs };
    this.index.put(entry);
    return entry;
  }

  noteStart(startMs: number): void {
    this.lastStartMs = Math.max(this.lastStartMs, startMs);
  }

  /**
   * Lists the folder: indexes settled new files, drops vanished ones, stat-checks a batch of indexed ones. Answers
   * how many new files were too fresh to index (still being written, perhaps), so the caller can look again soon.
   */
  async scan(nowMs = Date.now()): Promise<{ unsettled: number }> {
    let unsettled = 0;
    const onDisk = new Set((await readdir(this.dir)).filter((n) => startMsOfSegmentName(n) !== undefined));
    let vanished = 0;
    for (const entry of [...this.index.entries()]) {
      if (onDisk.has(entry.name) || this.inFlight.has(entry.name)) continue;
      this.index.remove(entry.name);
      vanished++;
    }
    if (vanished > 0) this.report('archive.segments-vanished', `${this.stream}: ${vanished} indexed segment(s) are no longer on disk`);
    for (const name of [...onDisk].sort()) {
      if (this.index.get(name) || this.inFlight.has(name)) continue;
      const st = await stat(path.join(this.dir, name)).catch(() => undefined);
      if (!st || !st.isFile()) continue;
      if (nowMs - st.mtimeMs < SETTLE_MS) {
        unsettled++;
        continue;
      }
      const startMs = startMsOfSegmentName(name)!;
      await this.indexFile(name, { startMs, durationMs: this.segmentSeconds * 1000 });
      this.noteStart(startMs);
    }
    const batch = this.rotation(this.statCursor, STAT_BATCH);
    this.statCursor = batch[batch.length - 1]?.name;
    for (const entry of batch) {
      const st = await stat(this.segmentPath(entry.name)).catch(() => undefined);
      if (!st) continue;
      if (st.size !== entry.sizeBytes || st.mtimeMs !== entry.mtimeMs) await this.recheck(entry);
    }
    return { unsettled };
  }

  /** Re-hashes up to `budgetBytes` of segments in rotation: finds rot that left size and mtime alone. */
  async scrub(budgetBytes: number): Promise<void> {
    let spent = 0;
    const batch = this.rotation(this.scrubCursor, 10_000);
    for (const entry of batch) {
      if (spent >= budgetBytes) break;
      await this.recheck(entry);
      spent += entry.sizeBytes;
      this.scrubCursor = entry.name;
    }
    if (batch.length > 0 && spent < budgetBytes) this.scrubCursor = undefined;
  }

  /** Re-hashes the given segments (all if none given) now; answers the names that have bit rot. */
  async verify(names?: string[]): Promise<{ checked: number; rot: string[] }> {
    const entries = names ? names.map((n) => this.index.get(n)).filter((e): e is LocalEntry => !!e) : [...this.index.entries()];
    const rot: string[] = [];
    for (const entry of entries) {
      if (!(await this.recheck(entry))) rot.push(entry.name);
    }
    return { checked: entries.length, rot: rot.sort() };
  }

  /** Compares a file's bytes with its index line; flags or clears rot. Answers whether the bytes match. */
  async recheck(entry: LocalEntry): Promise<boolean> {
    if (this.inFlight.has(entry.name)) return true;
    let actual: { sha256: string; sizeBytes: number };
    try {
      actual = await fileSha256(this.segmentPath(entry.name));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return true; // vanished: the next scan drops it
      throw err;
    }
    const current = this.index.get(entry.name);
    if (!current) return true;
    const matches = actual.sha256 === current.sha256 && actual.sizeBytes === current.sizeBytes;
    const st = await stat(this.segmentPath(entry.name)).catch(() => undefined);
    if (matches && !current.rot && st && st.mtimeMs === current.mtimeMs) return true;
    if (!matches && !current.rot) {
      this.report('archive.bit-rot', `${this.stream}/${entry.name}: bytes no longer match the index (sha256 ${actual.sha256.slice(0, 12)}…, recorded ${current.sha256.slice(0, 12)}…); flagged for re-fetch`);
    }
    if (matches && current.rot) this.report('archive.bit-rot-cleared', `${this.stream}/${entry.name}: bytes match the index again`);
    const next: LocalEntry = { ...current, mtimeMs: st?.mtimeMs ?? current.mtimeMs };
    if (matches) delete next.rot;
    else next.rot = true;
    this.index.put(next);
    return matches;
  }

  private rotation(after: string | undefined, count: number): LocalEntry[] {
    const all = [...this.index.entries()].sort((a, b) => (a.name < b.name ? -1 : 1));
    const start = after ? all.findIndex((e) => e.name > after) : 0;
    const from = start < 0 ? 0 : start;
    return all.slice(from, from + count);
  }
}
