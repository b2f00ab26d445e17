import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { planHashSync, type SyncLookups } from '../../../../main/core/snapshots/hash-sync-plan';

const H = (c: string) => c.repeat(64);

/** What the console knows: newest hash per channel, stored blobs, corrupt histories, fetches under way. */
function lookups(latest: Record<string, string>, blobs: string[], corrupt: string[] = [], pending: string[] = []): SyncLookups {
  return {
    latestHash: (channel) => latest[channel],
    isCorrupt: (channel) => corrupt.includes(channel),
    hasBlob: (hash) => blobs.includes(hash),
    isPending: (channel, hash) => pending.includes(`${channel}@${hash}`),
  };
}

describe('hash sync plan', () => {
  const table: [string, { name: string; hash: string | null }[], SyncLookups, ReturnType<typeof planHashSync>][] = [
    ['nothing to do when every hash is the newest known', [{ name: 'a', hash: H('a') }], lookups({ a: H('a') }, [H('a')]), { fetch: [], record: [], blocked: [] }],
    ['fetch a hash never seen (out-of-band edit)', [{ name: 'a', hash: H('b') }], lookups({ a: H('a') }, [H('a')]), { fetch: [{ channel: 'a', hash: H('b') }], record: [], blocked: [] }],
    ['fetch a channel with no history yet', [{ name: 'new', hash: H('c') }], lookups({}, []), { fetch: [{ channel: 'new', hash: H('c') }], record: [], blocked: [] }],
    ['record (no fetch) a host that went back to a known version', [{ name: 'a', hash: H('0') }], lookups({ a: H('1') }, [H('0'), H('1')]), { fetch: [], record: [{ channel: 'a', hash: H('0') }], blocked: [] }],
    ['skip an unreadable file: nothing to fetch', [{ name: 'a', hash: null }], lookups({ a: H('a') }, [H('a')]), { fetch: [], record: [], blocked: [] }],
    ['skip a fetch already under way', [{ name: 'a', hash: H('b') }], lookups({ a: H('a') }, [], [], [`a@${H('b')}`]), { fetch: [], record: [], blocked: [] }],
    ['block a channel whose history is corrupt', [{ name: 'a', hash: H('b') }], lookups({}, [], ['a']), { fetch: [], record: [], blocked: [{ channel: 'a', hash: H('b') }] }],
    ['read a channel once even if reported twice', [{ name: 'a', hash: H('b') }, { name: 'a', hash: H('c') }], lookups({}, []), { fetch: [{ channel: 'a', hash: H('b') }], record: [], blocked: [] }],
  ];
  for (const [title, reported, known, expected] of table) {
    it(title, () => assert.deepEqual(planHashSync(reported, known), expected));
  }
});
