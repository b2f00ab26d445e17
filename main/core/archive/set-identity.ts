/**
 * "Identity at a glance" of a replica set or storage group: one short fingerprint when every member holds the same
 * content, the members grouped by fingerprint when they do not.
 */
import { createHash } from 'node:crypto';

export interface MemberDigest {
  memberId: string;
  /** The member's set digest (archive) or content-root digest (storage); null when unknown (offline, not yet digested). */
  digest: string | null;
}

export type SetState = 'identical' | 'diverged' | 'conflict' | 'unknown';

export interface SetIdentity {
  state: SetState;
  /** `3f9a-c21b`: the shared digest when identical, else a digest of the whole disagreement. */
  fingerprint: string;
  members: { memberId: string; fingerprint: string | null; agreesWithMajority: boolean }[];
  /** Distinct digests among known members. */
  variants: number;
}

export function shortFingerprint(hex: string): string {
  return `${hex.slice(0, 4)}-${hex.slice(4, 8)}`;
}

/** The digest most members hold (ties: the smaller digest, so the answer is stable), or null if none is known. */
export function majorityDigest(members: MemberDigest[]): string | null {
  const counts = new Map<string, number>();
  for (const m of members) if (m.digest) counts.set(m.digest, (counts.get(m.digest) ?? 0) + 1);
  let best: string | null = null;
  for (const [digest, n] of counts) {
    const bestCount = best ? counts.get(best)! : 0;
    if (n > bestCount || (n === bestCount && best !== null && digest < best)) best = digest;
  }
  return best;
}

export function setIdentity(members: MemberDigest[], opts: { conflicts?: number } = {}): SetIdentity {
  const known = members.filter((m) => m.digest !== null);
  const digests = [...new Set(known.map((m) => m.digest!))].sort();
  const majority = majorityDigest(members);
  const state: SetState =
    known.length === 0 ? 'unknown' : (opts.conflicts ?? 0) > 0 ? 'conflict' : digests.length === 1 && known.length === members.length ? 'identical' : 'diverged';
  const combined =
    digests.length === 1
      ? digests[0]!
      : createHash('sha256')
          .update(
            [...members]
              .sort((a, b) => (a.memberId < b.memberId ? -1 : 1))
              .map((m) => `${m.memberId} ${m.digest ?? '-'}\n`)
              .join(''),
          )
          .digest('hex');
  return {
    state,
    fingerprint: shortFingerprint(combined),
    members: members.map((m) => ({
      memberId: m.memberId,
      fingerprint: m.digest ? shortFingerprint(m.digest) : null,
      agreesWithMajority: m.digest !== null && m.digest === majority,
    })),
    variants: digests.length,
  };
}
