/**
 * A storage group as the tracker of seed 004 sees it: which members a client would be handed (healthy and holding the
 * group's content), which are healthy but out of step, which are offline, and the group-level alerts.
 */
import { majorityDigest, type SetIdentity, setIdentity } from './set-identity';

export interface StorageMemberState {
  memberId: string;
  healthy: boolean;
  rootDigest: string | null;
  diskUsedPct: number | null;
}

export type StorageGroupAlert =
  | { kind: 'too-few-healthy'; healthy: number; required: number }
  | { kind: 'disk-above-limit'; memberId: string; usedPct: number; limitPct: number };

export interface StorageGroupView {
  active: string[];
  outOfStep: string[];
  offline: string[];
  identity: SetIdentity;
  alerts: StorageGroupAlert[];
}

export interface StorageGroupOptions {
  minHealthy?: number;
  diskLimitPct?: number;
}

export function storageGroupView(members: StorageMemberState[], opts: StorageGroupOptions = {}): StorageGroupView {
  const minHealthy = opts.minHealthy ?? 2;
  const diskLimitPct = opts.diskLimitPct ?? 90;
  const healthy = members.filter((m) => m.healthy);
  const digests = healthy.map((m) => ({ memberId: m.memberId, digest: m.rootDigest }));
  const majority = majorityDigest(digests);
  const counts = new Map<string, number>();
  for (const d of digests) if (d.digest) counts.set(d.digest, (counts.get(d.digest) ?? 0) + 1);
  // With a tie there is no telling which copy is stale: every healthy member stays active, the identity says diverged.
  const tie = majority !== null && [...counts.values()].filter((n) => n === counts.get(majority)).length > 1;
  const active = healthy.filter((m) => m.rootDigest !== null && (tie || m.rootDigest === majority)).map((m) => m.memberId);
  const outOfStep = healthy.filter((m) => !active.includes(m.memberId)).map((m) => m.memberId);
  const alerts: StorageGroupAlert[] = [];
  if (healthy.length < minHealthy) alerts.push({ kind: 'too-few-healthy', healthy: healthy.length, required: minHealthy });
  for (const m of members) {
    if (m.diskUsedPct !== null && m.diskUsedPct > diskLimitPct) alerts.push({ kind: 'disk-above-limit', memberId: m.memberId, usedPct: m.diskUsedPct, limitPct: diskLimitPct });
  }
  return {
    active,
    outOfStep,
    offline: members.filter((m) => !m.healthy).map((m) => m.memberId),
    identity: setIdentity(members.map((m) => ({ memberId: m.memberId, digest: m.healthy ? m.rootDigest : null }))),
    alerts,
  };
}
