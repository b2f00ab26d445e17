/**
 * The resync plan: which member pulls which segments from whom. Only what a member lacks (or holds with bit rot) is
 * pulled; present segments are never sent again, conflicts are never touched, and each segment comes from one source.
 */
import { MAX_SEGMENTS_PER_PULL, type ArchivePullRequest } from '../../../agents/protocol/archive';
import type { HourIndexDiff, NeededSegment } from './index-diff';

export interface PlannedPull {
  stream: string;
  /** The member that runs the pull. */
  memberId: string;
  /** The member it pulls from. */
  sourceId: string;
  segments: string[];
  bytes: number;
  /** How many of `segments` replace rotten local copies. */
  repairs: number;
}

export interface ResyncPlan {
  pulls: PlannedPull[];
  /** Needed segments that cannot be pulled now: the member or every source is offline. */
  blocked: { memberId: string; name: string; reason: string }[];
  bytesTotal: number;
}

export interface PlanOptions {
  /** Members able to take part now (online, not fenced); defaults to every member in the diffs. */
  online?: string[];
  /** Preferred sources, best first (e.g. the primary); otherwise the least-loaded source is chosen. */
  preferSources?: string[];
  maxSegmentsPerPull?: number;
}

export function planResync(stream: string, diffs: HourIndexDiff[], opts: PlanOptions = {}): ResyncPlan {
  const online = opts.online ? new Set(opts.online) : undefined;
  const isOnline = (id: string) => !online || online.has(id);
  const prefer = opts.preferSources ?? [];
  const maxPer = Math.min(opts.maxSegmentsPerPull ?? MAX_SEGMENTS_PER_PULL, MAX_SEGMENTS_PER_PULL);
  const load = new Map<string, number>();
  const groups = new Map<string, { memberId: string; sourceId: string; items: { seg: NeededSegment; repair: boolean }[] }>();
  const blocked: ResyncPlan['blocked'] = [];

  const needs: { memberId: string; seg: NeededSegment; repair: boolean }[] = [];
  for (const d of diffs) {
    for (const [memberId, segs] of Object.entries(d.missing)) for (const seg of segs) needs.push({ memberId, seg, repair: false });
    for (const [memberId, segs] of Object.entries(d.rot)) for (const seg of segs) needs.push({ memberId, seg, repair: true });
  }
  needs.sort((a, b) => (a.memberId < b.memberId ? -1 : a.memberId > b.memberId ? 1 : a.seg.name < b.seg.name ? -1 : 1));

  for (const { memberId, seg, repair } of needs) {
    if (!isOnline(memberId)) {
      blocked.push({ memberId, name: seg.name, reason: 'the member is offline' });
      continue;
    }
    const candidates = seg.sources.filter((s) => s !== memberId && isOnline(s));
    if (candidates.length === 0) {
      blocked.push({ memberId, name: seg.name, reason: 'no online member holds a good copy' });
      continue;
    }
    const rank = (id: string) => (prefer.includes(id) ? prefer.indexOf(id) : prefer.length);
    candidates.sort((a, b) => rank(a) - rank(b) || (load.get(a) ?? 0) - (load.get(b) ?? 0) || (a < b ? -1 : 1));
    const sourceId = candidates[0]!;
    load.set(sourceId, (load.get(sourceId) ?? 0) + seg.sizeBytes);
    const key = `${memberId}\u0000${sourceId}`;
    const g = groups.get(key) ?? { memberId, sourceId, items: [] };
    g.items.push({ seg, repair });
    groups.set(key, g);
  }

  const pulls: PlannedPull[] = [];
  for (const g of [...groups.values()].sort((a, b) => (a.memberId + a.sourceId < b.memberId + b.sourceId ? -1 : 1))) {
    const items = [...g.items].sort((a, b) => (a.seg.name < b.seg.name ? -1 : 1));
    for (let i = 0; i < items.length; i += maxPer) {
      const chunk = items.slice(i, i + maxPer);
      pulls.push({
        stream,
        memberId: g.memberId,
        sourceId: g.sourceId,
        segments: chunk.map((c) => c.seg.name),
        bytes: chunk.reduce((s, c) => s + c.seg.sizeBytes, 0),
        repairs: chunk.filter((c) => c.repair).length,
      });
    }
  }
  return { pulls, blocked, bytesTotal: pulls.reduce((s, p) => s + p.bytes, 0) };
}

/** The command to send to `pull.memberId`: POST /v1/archive/pull with this body. */
export function pullRequestFor(pull: PlannedPull, source: { address: string; token: string }): ArchivePullRequest {
  return { stream: pull.stream, peer: { address: source.address, token: source.token }, segments: pull.segments };
}
