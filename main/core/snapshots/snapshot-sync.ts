/**
 * Keeps the snapshot store in step with the transcoder agents: every heartbeat's hashes go through the sync plan,
 * unknown versions are fetched (hash-checked) and stored as `host` changes, and console pushes are recorded as
 * `console` changes with their operator. The engine calls `observe` on each heartbeat and journals what `report` says.
 */
import {
  ChannelConfigResponse,
  PutChannelConfigResponse,
  type TranscoderStatus,
  transcoderPaths,
} from '../../../agents/protocol/transcoder';
import { sha256Hex } from './blob-store';
import type { ReportedHash } from './hash-sync-plan';
import type { SnapshotEntry } from './snapshot-schemas';
import type { SnapshotStore } from './snapshot-store';

export type AgentRequest = (
  hostId: string,
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  path: string,
  body?: unknown,
  timeoutMs?: number,
) => Promise<unknown>;

export type SnapshotSyncEvent =
  /** A version appeared on the host (journal "out-of-band change on HOST/CHANNEL"; `previous` null: first sight). */
  | { type: 'host-change'; hostId: string; channel: string; entry: SnapshotEntry; previous: SnapshotEntry | null }
  | { type: 'fetch-failed'; hostId: string; channel: string; hash: string; error: string }
  /** The channel's history is unreadable: nothing is added until an operator repairs it (reported once). */
  | { type: 'history-corrupt'; hostId: string; channel: string; hash: string };

export interface SnapshotSyncDeps {
  store: SnapshotStore;
  request: AgentRequest;
  now(): number;
  report(event: SnapshotSyncEvent): void;
  fetchTimeoutMs?: number;
  /** A push restarts ffmpeg on the agent before it answers (SIGTERM, then SIGKILL after the agent's stopTimeoutMs). */
  pushTimeoutMs?: number;
}

const SYNC_JOBS = 32;
const keyOf = (hostId: string, channel: string) => `${hostId}\u0000${channel}`;
const pendingKey = (hostId: string, channel: string, hash: string) => `${hostId}\u0000${channel}\u0000${hash}`;

export class SnapshotSync {
  /** (host, channel, hash) being fetched or pushed right now. */
  private readonly pending = new Set<string>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly corruptReported = new Set<string>();
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  /**
   * Per host, as flat [name, hash, name, hash, …] lists: the channels' hashes and the rescan's hashes that a plan last
   * found all recorded (a big plant's steady state). Kept apart because most heartbeats carry no rescan list: one
   * signature for both made every heartbeat after a rescan plan again.
   */
  private readonly settledChannels = new Map<string, (string | null)[]>();
  private readonly settledScan = new Map<string, (string | null)[]>();

  constructor(private readonly deps: SnapshotSyncDeps) {}

  /** Call with the `transcoder` part of every heartbeat of a host. */
  observe(hostId: string, status: TranscoderStatus): void {
    // The same hashes as a plan already found recorded: nothing can have changed (histories only grow), so skip the
    // plan — at 1,000 hosts it was 8 % of the console's time, every heartbeat. Compared in place, nothing allocated.
    const channelsSettled = sameHashes(this.settledChannels.get(hostId), status.channels, channelHash);
    if (channelsSettled && (!status.scan || sameHashes(this.settledScan.get(hostId), status.scan.hashes, scanHash))) return;
    const reported: ReportedHash[] = [
      ...status.channels.map((c) => ({ name: c.name, hash: c.configHash })),
      ...(status.scan?.hashes ?? []),
    ];
    const plan = this.deps.store.planSync(hostId, reported, (channel, hash) => this.pending.has(pendingKey(hostId, channel, hash)));
    if (plan.blocked.length === 0 && plan.record.length === 0 && plan.fetch.length === 0) {
      this.settledChannels.set(hostId, flatHashes(status.channels, channelHash));
      if (status.scan) this.settledScan.set(hostId, flatHashes(status.scan.hashes, scanHash));
    } else {
      this.settledChannels.delete(hostId);
      this.settledScan.delete(hostId);
    }
    const blockedNow = new Set(plan.blocked.map((b) => keyOf(hostId, b.channel)));
    for (const key of this.corruptReported) if (key.startsWith(`${hostId}\u0000`) && !blockedNow.has(key)) this.corruptReported.delete(key);
    for (const { channel, hash } of plan.blocked) {
      if (this.corruptReported.has(keyOf(hostId, channel))) continue;
      this.corruptReported.add(keyOf(hostId, channel));
      this.deps.report({ type: 'history-corrupt', hostId, channel, hash });
    }
    for (const { channel, hash } of plan.record) this.track(hostId, channel, hash, () => this.recordKnown(hostId, channel, hash));
    for (const { channel, hash } of plan.fetch) this.track(hostId, channel, hash, () => this.fetch(hostId, channel));
  }

  /**
   * Pushes a config to a host (PUT, atomic on the agent) and records it as a `console` version by `operator`.
   * `ifHash`: refuse (409) unless the host's file still has this hash (null: unless the channel is new).
   */
  async push(
    hostId: string,
    channel: string,
    bytes: Uint8Array,
    operator: string | null,
    options: { ifHash?: string | null; note?: string | null } = {},
  ): Promise<{ response: PutChannelConfigResponse; entry: SnapshotEntry; added: boolean }> {
    const hash = sha256Hex(bytes);
    const key = pendingKey(hostId, channel, hash);
    this.pending.add(key); // a heartbeat that sees the new hash before we record it must not fetch it
    try {
      const raw = await this.deps.request(hostId, 'PUT', transcoderPaths.config(channel), {
        contentBase64: Buffer.from(bytes).toString('base64'),
        ...(options.ifHash !== undefined ? { ifHash: options.ifHash } : {}),
      }, this.deps.pushTimeoutMs ?? 15_000);
      const response = PutChannelConfigResponse.parse(raw);
      if (response.hash !== hash) throw new Error(`the agent stored ${response.hash}, not the ${hash} that was sent`);
      const { entry, added } = await this.deps.store.record({ hostId, channel, bytes, source: 'console', operator, at: this.deps.now(), note: options.note ?? null });
      return { response, entry, added };
    } finally {
      this.pending.delete(key);
    }
  }

  /** Puts a stored version back on its host, byte for byte. */
  async restore(hostId: string, channel: string, hash: string, operator: string | null, ifHash?: string | null) {
    const bytes = await this.deps.store.get(hash);
    const entry = (await this.deps.store.history(hostId, channel)).entries.findLast((e) => e.hash === hash);
    const when = entry ? ` of ${new Date(entry.at).toISOString()}` : '';
    return this.push(hostId, channel, bytes, operator, { ifHash, note: `restored ${hash.slice(0, 12)}${when}` });
  }

  /** Resolves when no fetch started so far is still running (tests and benchmarks). */
  async idle(): Promise<void> {
    while (this.inFlight.size) await Promise.all([...this.inFlight]);
  }

  /**
   * Fetches and records run at most SYNC_JOBS at a time across the whole plant: a thousand hosts met at once is
   * 20,000 configs to fetch, and taking them all at once grew the console's heap by hundreds of MB (which V8 keeps).
   */
  private async limited(work: () => Promise<void>): Promise<void> {
    if (this.running >= SYNC_JOBS) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.running++;
    try {
      await work();
    } finally {
      this.running--;
      this.waiting.shift()?.();
    }
  }

  private track(hostId: string, channel: string, hash: string, work: () => Promise<void>): void {
    const key = pendingKey(hostId, channel, hash);
    this.pending.add(key);
    const job = this.limited(work)
      .catch((err: Error) => this.deps.report({ type: 'fetch-failed', hostId, channel, hash, error: err.message }))
      .finally(() => {
        this.pending.delete(key);
        this.inFlight.delete(job);
      });
    this.inFlight.add(job);
  }

  private async fetch(hostId: string, channel: string): Promise<void> {
    const raw = await this.deps.request(hostId, 'GET', transcoderPaths.config(channel), undefined, this.deps.fetchTimeoutMs ?? 5000);
    const answer = ChannelConfigResponse.parse(raw);
    const bytes = Buffer.from(answer.contentBase64, 'base64');
    const actual = sha256Hex(bytes);
    if (actual !== answer.hash) throw new Error(`the agent sent bytes hashing to ${actual} but said ${answer.hash}`);
    // If the file changed again since the heartbeat, what was fetched is the newer version: store that.
    await this.recordHostVersion(hostId, channel, bytes);
  }

  private async recordKnown(hostId: string, channel: string, hash: string): Promise<void> {
    await this.recordHostVersion(hostId, channel, await this.deps.store.get(hash));
  }

  private async recordHostVersion(hostId: string, channel: string, bytes: Uint8Array): Promise<void> {
    const previous = this.deps.store.latest(hostId, channel);
    const { entry, added } = await this.deps.store.record({ hostId, channel, bytes, source: 'host', at: this.deps.now() });
    if (added) this.deps.report({ type: 'host-change', hostId, channel, entry, previous });
  }
}

const channelHash = (c: TranscoderStatus['channels'][number]) => c.configHash;
const scanHash = (h: NonNullable<TranscoderStatus['scan']>['hashes'][number]) => h.hash;

function sameHashes<T extends { name: string }>(flat: readonly (string | null)[] | undefined, items: readonly T[], hashOf: (item: T) => string | null): boolean {
  if (!flat || flat.length !== items.length * 2) return false;
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    if (flat[2 * i] !== item.name || flat[2 * i + 1] !== hashOf(item)) return false;
  }
  return true;
}

function flatHashes<T extends { name: string }>(items: readonly T[], hashOf: (item: T) => string | null): (string | null)[] {
  const flat: (string | null)[] = [];
  for (const item of items) flat.push(item.name, hashOf(item));
  return flat;
}
