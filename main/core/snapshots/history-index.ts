/**
 * The history of every (host, channel): one small JSON file each, `<dir>/<host>/<channel>.json`, rewritten
 * atomically on every change. A file that cannot be read is reported and refused, never replaced.
 */
import { mkdir, readdir, readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import { describeZodError } from '../../../agents/protocol';
import { writeFileAtomic } from '../../../lib/atomic-write';
import { KeyedQueue } from '../../../lib/keyed-queue';
import { fromSafeSegment, safeSegment } from './safe-segment';
import { ChannelHistoryFile, type SnapshotEntry } from './snapshot-schemas';

export class CorruptHistoryError extends Error {
  constructor(
    readonly file: string,
    readonly hostId: string,
    readonly channel: string,
    readonly reason: string,
  ) {
    super(`the config history of ${hostId}/${channel} (${file}) is unreadable: ${reason}; it was left as it is`);
  }
}

export interface HistorySummary {
  latest: SnapshotEntry;
  latestValid: SnapshotEntry | null;
  entries: number;
}

const keyOf = (hostId: string, channel: string) => `${hostId}\u0000${channel}`;

export class HistoryIndex {
  private readonly summaries = new Map<string, HistorySummary>();
  private readonly corrupt = new Map<string, CorruptHistoryError>();
  private readonly queue = new KeyedQueue();

  private constructor(
    readonly dir: string,
    private readonly maxEntries: number,
  ) {}

  /** Reads every history file once; the unreadable ones are returned as problems (and refuse appends). */
  static async open(dir: string, maxEntries: number): Promise<{ index: HistoryIndex; problems: CorruptHistoryError[] }> {
    const index = new HistoryIndex(dir, maxEntries);
    await mkdir(dir, { recursive: true });
    for (const hostSeg of await readdir(dir)) {
      if (hostSeg.startsWith('.')) continue;
      for (const fileName of await readdir(path.join(dir, hostSeg))) {
        if (fileName.startsWith('.') || !fileName.endsWith('.json')) continue;
        const hostId = fromSafeSegment(hostSeg);
        const channel = fromSafeSegment(fileName.slice(0, -'.json'.length));
        try {
          const file = await index.readFile(hostId, channel);
          if (file) index.remember(hostId, channel, file);
        } catch (err) {
          if (!(err instanceof CorruptHistoryError)) throw err;
        }
      }
    }
    return { index, problems: [...index.corrupt.values()] };
  }

  fileOf(hostId: string, channel: string): string {
    return path.join(this.dir, safeSegment(hostId), `${safeSegment(channel)}.json`);
  }

  summary(hostId: string, channel: string): HistorySummary | undefined {
    return this.summaries.get(keyOf(hostId, channel));
  }

  corruption(hostId: string, channel: string): CorruptHistoryError | undefined {
    return this.corrupt.get(keyOf(hostId, channel));
  }

  problems(): CorruptHistoryError[] {
    return [...this.corrupt.values()];
  }

  /** Channels of a host that have a history (readable or not). */
  channelsOf(hostId: string): string[] {
    const prefix = `${hostId}\u0000`;
    const keys = [...this.summaries.keys(), ...this.corrupt.keys()].filter((k) => k.startsWith(prefix));
    return [...new Set(keys.map((k) => k.slice(prefix.length)))].sort();
  }

  /** The full history (oldest first), read from disk; null when there is none. */
  async read(hostId: string, channel: string): Promise<ChannelHistoryFile | null> {
    return this.readFile(hostId, channel);
  }

  /**
   * Appends an entry unless the channel's newest entry already has this hash. Runs after any earlier append of
   * the same channel; re-reads the file first, so an edit of it on disk is never overwritten unseen.
   */
  append(hostId: string, channel: string, entry: SnapshotEntry): Promise<{ entry: SnapshotEntry; added: boolean }> {
    return this.queue.run(keyOf(hostId, channel), async () => {
      const current = (await this.readFile(hostId, channel)) ?? { format: 1 as const, hostId, channel, prunedEntries: 0, entries: [] };
      const latest = current.entries.at(-1);
      if (latest?.hash === entry.hash) return { entry: latest, added: false };
      const entries = [...current.entries, entry];
      const drop = Math.max(0, entries.length - this.maxEntries);
      const next: ChannelHistoryFile = { ...current, prunedEntries: current.prunedEntries + drop, entries: entries.slice(drop) };
      const file = this.fileOf(hostId, channel);
      await mkdir(path.dirname(file), { recursive: true });
      await writeFileAtomic(file, Buffer.from(`${JSON.stringify(next, null, 1)}\n`));
      this.remember(hostId, channel, next);
      return { entry, added: true };
    });
  }

  /**
   * An operator's decision after a corrupt history was reported: move the damaged file aside (kept, renamed
   * `.corrupt-<time>`) so a new history can start. Returns where the old file went.
   */
  async quarantine(hostId: string, channel: string, at: number): Promise<string> {
    const file = this.fileOf(hostId, channel);
    const aside = path.join(path.dirname(file), `.${path.basename(file)}.corrupt-${at}`);
    await rename(file, aside);
    this.corrupt.delete(keyOf(hostId, channel));
    this.summaries.delete(keyOf(hostId, channel));
    return aside;
  }

  private remember(hostId: string, channel: string, file: ChannelHistoryFile): void {
    const latest = file.entries.at(-1);
    const key = keyOf(hostId, channel);
    this.corrupt.delete(key);
    if (!latest) {
      this.summaries.delete(key);
      return;
    }
    const latestValid = file.entries.findLast((e) => e.valid) ?? null;
    this.summaries.set(key, { latest, latestValid, entries: file.entries.length });
  }

  private async readFile(hostId: string, channel: string): Promise<ChannelHistoryFile | null> {
    const file = this.fileOf(hostId, channel);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw this.markCorrupt(file, hostId, channel, (err as Error).message);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (err) {
      throw this.markCorrupt(file, hostId, channel, `not JSON (${(err as Error).message})`);
    }
    const parsed = ChannelHistoryFile.safeParse(json);
    if (!parsed.success) throw this.markCorrupt(file, hostId, channel, describeZodError(parsed.error));
    if (parsed.data.hostId !== hostId || parsed.data.channel !== channel) {
      throw this.markCorrupt(file, hostId, channel, `it holds the history of ${parsed.data.hostId}/${parsed.data.channel}`);
    }
    return parsed.data;
  }

  private markCorrupt(file: string, hostId: string, channel: string, cause: string): CorruptHistoryError {
    const error = new CorruptHistoryError(file, hostId, channel, cause);
    const key = keyOf(hostId, channel);
    this.corrupt.set(key, error);
    this.summaries.delete(key);
    return error;
  }
}
