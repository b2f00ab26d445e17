/**
 * The console's config snapshot store: every version of every channel config, content-addressed (sha256 → blob),
 * with a history per (host, channel) saying when each version appeared, from where and by whom.
 *
 *   <dataDir>/snapshots/blobs/<2 hex>/<sha256>      the exact bytes of each version
 *   <dataDir>/snapshots/history/<host>/<channel>.json
 */
import path from 'node:path';
import { parseChannelConfigBytes } from '../../../agents/protocol/transcoder';
import { BlobStore, CorruptBlobError } from './blob-store';
import { type ReportedHash, planHashSync, type SyncPlan } from './hash-sync-plan';
import { type CorruptHistoryError, HistoryIndex } from './history-index';
import { KeyedQueue } from '../../../lib/keyed-queue';
import { sideBySideDiff } from './side-by-side-diff';
import type { SideBySideDiff, SnapshotEntry, SnapshotSource } from './snapshot-schemas';

export interface SnapshotStoreOptions {
  /** Oldest entries beyond this are dropped from a channel's history (their blobs stay). */
  maxEntriesPerChannel?: number;
  /** Why these bytes are not a usable config for `channel`, or null. Defaults to the transcoder channel schema. */
  validate?: (bytes: Uint8Array, channel: string) => string | null;
}

export interface SnapshotProblem {
  kind: 'corrupt-history' | 'corrupt-blob';
  message: string;
  file: string;
  hostId: string | null;
  channel: string | null;
  hash: string | null;
}

export interface RecordInput {
  hostId: string;
  channel: string;
  bytes: Uint8Array;
  source: SnapshotSource;
  operator?: string | null;
  at: number;
  note?: string | null;
}

export interface RecordResult {
  entry: SnapshotEntry;
  /** False when this hash already was the channel's newest version (nothing changed). */
  added: boolean;
  /** A stored blob with this hash was corrupt and has been rewritten from these bytes (the old file kept aside). */
  repairedBlob: CorruptBlobError | null;
}

const defaultValidate = (bytes: Uint8Array, channel: string) => {
  const parsed = parseChannelConfigBytes(bytes, channel);
  return parsed.ok ? null : parsed.reason;
};

export class SnapshotStore {
  private readonly blobProblems = new Map<string, SnapshotProblem>();
  private readonly queue = new KeyedQueue();

  private constructor(
    readonly dir: string,
    private readonly blobs: BlobStore,
    private readonly index: HistoryIndex,
    private readonly validate: (bytes: Uint8Array, channel: string) => string | null,
  ) {}

  /** Opens (creating) the store under `dataDir`; unreadable histories come back as problems to report. */
  static async open(dataDir: string, options: SnapshotStoreOptions = {}): Promise<{ store: SnapshotStore; problems: SnapshotProblem[] }> {
    const dir = path.join(dataDir, 'snapshots');
    const blobs = await BlobStore.open(path.join(dir, 'blobs'));
    const { index, problems } = await HistoryIndex.open(path.join(dir, 'history'), options.maxEntriesPerChannel ?? 1000);
    const store = new SnapshotStore(dir, blobs, index, options.validate ?? defaultValidate);
    return { store, problems: problems.map(historyProblem) };
  }

  /**
   * Stores the bytes and adds a history entry, unless they already are the channel's newest version. Records of
   * one channel land in the history in the order they were called.
   */
  record(input: RecordInput): Promise<RecordResult> {
    return this.queue.run(`${input.hostId}\u0000${input.channel}`, () => this.recordNow(input));
  }

  private async recordNow(input: RecordInput): Promise<RecordResult> {
    const problem = this.validate(input.bytes, input.channel);
    const blob = await this.blobs.put(input.bytes);
    if (blob.repaired) this.noteBlobProblem(blob.repaired);
    const entry: SnapshotEntry = {
      at: input.at,
      hash: blob.hash,
      source: input.source,
      operator: input.source === 'console' ? (input.operator ?? null) : null,
      bytes: input.bytes.byteLength,
      valid: problem === null,
      problem: problem?.slice(0, 1024) ?? null,
      note: input.note?.slice(0, 256) ?? null,
    };
    const appended = await this.index.append(input.hostId, input.channel, entry);
    return { ...appended, repairedBlob: blob.repaired };
  }

  /** Records an already stored version as the channel's newest (a plan's `record` items, a restore). */
  async recordKnown(input: Omit<RecordInput, 'bytes'> & { hash: string }): Promise<RecordResult> {
    return this.record({ ...input, bytes: await this.get(input.hash) });
  }

  /** The stored bytes of a version, verified against their hash. */
  async get(hash: string): Promise<Buffer> {
    try {
      return await this.blobs.get(hash);
    } catch (err) {
      if (err instanceof CorruptBlobError) this.noteBlobProblem(err);
      throw err;
    }
  }

  has(hash: string): boolean {
    return this.blobs.has(hash);
  }

  /** Oldest first. Throws CorruptHistoryError when the history cannot be read. */
  async history(hostId: string, channel: string): Promise<{ entries: SnapshotEntry[]; prunedEntries: number }> {
    const file = await this.index.read(hostId, channel);
    return { entries: file?.entries ?? [], prunedEntries: file?.prunedEntries ?? 0 };
  }

  latest(hostId: string, channel: string): SnapshotEntry | null {
    return this.index.summary(hostId, channel)?.latest ?? null;
  }

  /** The newest version that is a valid config: what failover starts on a reserve. */
  latestValid(hostId: string, channel: string): SnapshotEntry | null {
    return this.index.summary(hostId, channel)?.latestValid ?? null;
  }

  channels(hostId: string): string[] {
    return this.index.channelsOf(hostId);
  }

  /** Line-based side-by-side diff of two stored versions (left = older by convention). */
  async diff(leftHash: string, rightHash: string): Promise<SideBySideDiff> {
    const [left, right] = await Promise.all([this.get(leftHash), this.get(rightHash)]);
    const text = (bytes: Buffer) => new TextDecoder('utf-8').decode(bytes);
    return sideBySideDiff(text(left), text(right));
  }

  /** What to fetch or record so that this store knows every hash a host reports (see hash-sync-plan.ts). */
  planSync(hostId: string, reported: readonly ReportedHash[], isPending: (channel: string, hash: string) => boolean = () => false): SyncPlan {
    return planHashSync(reported, {
      latestHash: (channel) => this.index.summary(hostId, channel)?.latest.hash,
      isCorrupt: (channel) => this.index.corruption(hostId, channel) !== undefined,
      hasBlob: (hash) => this.blobs.has(hash),
      isPending,
    });
  }

  /** Everything found damaged so far: unreadable histories and blobs whose bytes do not match their hash. */
  problems(): SnapshotProblem[] {
    return [...this.index.problems().map(historyProblem), ...this.blobProblems.values()];
  }

  /** An operator's repair of a corrupt history: the damaged file is kept aside and a new history starts. */
  quarantineHistory(hostId: string, channel: string, at: number): Promise<string> {
    return this.index.quarantine(hostId, channel, at);
  }

  private noteBlobProblem(err: CorruptBlobError): void {
    this.blobProblems.set(err.hash, { kind: 'corrupt-blob', message: err.message, file: err.file, hostId: null, channel: null, hash: err.hash });
  }
}

function historyProblem(err: CorruptHistoryError): SnapshotProblem {
  return { kind: 'corrupt-history', message: err.message, file: err.file, hostId: err.hostId, channel: err.channel, hash: null };
}

export { CorruptBlobError } from './blob-store';
export { SnapshotNotFoundError } from './blob-store';
export { CorruptHistoryError } from './history-index';
export type { ReportedHash, SyncPlan } from './hash-sync-plan';
