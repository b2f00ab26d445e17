import type { SegmentEntry } from '../../protocol';

/** What this member holds under a name the console asked it to pull. */
export type LocalCopy =
  | { kind: 'absent' }
  /** Indexed; `bytesSha256` is what the file holds now (re-hashed for the decision). */
  | { kind: 'indexed'; indexSha256: string; bytesSha256: string }
  /** A file with that name that the index does not know yet. */
  | { kind: 'unindexed'; bytesSha256: string };

export type PullAction =
  | { action: 'fetch' }
  /** Local bytes are rotten and the peer holds what was recorded here: replace them. */
  | { action: 'repair' }
  /** The peer's bytes are already here: nothing is sent. */
  | { action: 'present'; indexUnindexed: boolean }
  /** Different self-consistent bytes on the two members (or rot here and other bytes there): report, change nothing. */
  | { action: 'conflict'; localSha256: string };

export function decidePull(local: LocalCopy, peer: Pick<SegmentEntry, 'sha256'>): PullAction {
  switch (local.kind) {
    case 'absent':
      return { action: 'fetch' };
    case 'unindexed':
      return local.bytesSha256 === peer.sha256 ? { action: 'present', indexUnindexed: true } : { action: 'conflict', localSha256: local.bytesSha256 };
    case 'indexed': {
      const rotten = local.bytesSha256 !== local.indexSha256;
      if (local.indexSha256 !== peer.sha256) return { action: 'conflict', localSha256: local.indexSha256 };
      return rotten ? { action: 'repair' } : { action: 'present', indexUnindexed: false };
    }
  }
}
