/**
 * Pure: given the config hashes an agent reports (heartbeat or periodic list), what the console must do so its
 * snapshot store knows every version: fetch the bytes it has never seen, or only record a known blob as the
 * channel's current version (a host reverted to an older file, or two hosts share a config).
 */

export interface ReportedHash {
  name: string;
  /** null: the agent cannot read the file (the channel is in config-error): there is nothing to fetch. */
  hash: string | null;
}

export interface SyncLookups {
  /** The newest hash in the history of this channel on this host; undefined when there is no history. */
  latestHash(channel: string): string | null | undefined;
  /** The history of this channel cannot be read: nothing may be added until an operator repairs it. */
  isCorrupt(channel: string): boolean;
  hasBlob(hash: string): boolean;
  /** A fetch of this (channel, hash) is already under way. */
  isPending(channel: string, hash: string): boolean;
}

export interface SyncPlan {
  /** Unknown bytes: GET the config from the agent, store it, journal "out-of-band change". */
  fetch: { channel: string; hash: string }[];
  /** Known bytes, new for this channel: add a history entry (source `host`) from the stored blob. */
  record: { channel: string; hash: string }[];
  /** Changed, but the channel's history is corrupt: report, do not touch. */
  blocked: { channel: string; hash: string }[];
}

export function planHashSync(reported: readonly ReportedHash[], lookups: SyncLookups): SyncPlan {
  const plan: SyncPlan = { fetch: [], record: [], blocked: [] };
  const seen = new Set<string>();
  for (const { name: channel, hash } of reported) {
    if (hash === null || seen.has(channel)) continue;
    seen.add(channel);
    if (lookups.latestHash(channel) === hash) continue;
    if (lookups.isCorrupt(channel)) plan.blocked.push({ channel, hash });
    else if (lookups.isPending(channel, hash)) continue;
    else if (lookups.hasBlob(hash)) plan.record.push({ channel, hash });
    else plan.fetch.push({ channel, hash });
  }
  return plan;
}
