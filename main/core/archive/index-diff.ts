/**
 * Drills into one hour: given each member's index of it, which segments each member lacks, which it holds with bit
 * rot, and which names carry different bytes on different members (conflicts: never resolved automatically).
 */
import type { SegmentEntry } from '../../../agents/protocol/archive';

export interface MemberHourIndex {
  memberId: string;
  segments: SegmentEntry[];
}

/** A segment one member needs, with the members that hold a good (rot-free) copy of it. */
export interface NeededSegment {
  name: string;
  startMs: number;
  durationMs: number;
  sizeBytes: number;
  sha256: string;
  sources: string[];
}

export interface SegmentConflict {
  name: string;
  startMs: number;
  variants: { sha256: string; sizeBytes: number; memberIds: string[] }[];
}

export interface HourIndexDiff {
  hour: string;
  /** Per member: segments others hold and it does not. */
  missing: Record<string, NeededSegment[]>;
  /** Per member: segments it holds whose bytes rotted, to be fetched again. */
  rot: Record<string, NeededSegment[]>;
  conflicts: SegmentConflict[];
  /** Needed segments no member holds a good copy of. */
  unrepairable: { memberId: string; name: string; reason: string }[];
}

export interface IndexDiffOptions {
  /** Segments starting at or after this time are still propagating and are left out. */
  settledBeforeMs?: number;
}

export function diffHourIndexes(hour: string, members: MemberHourIndex[], opts: IndexDiffOptions = {}): HourIndexDiff {
  const diff: HourIndexDiff = { hour, missing: {}, rot: {}, conflicts: [], unrepairable: [] };
  for (const m of members) {
    diff.missing[m.memberId] = [];
    diff.rot[m.memberId] = [];
  }
  const holders = new Map<string, { memberId: string; entry: SegmentEntry }[]>();
  for (const m of members) {
    for (const entry of m.segments) {
      if (opts.settledBeforeMs !== undefined && entry.startMs >= opts.settledBeforeMs) continue;
      const list = holders.get(entry.name) ?? [];
      list.push({ memberId: m.memberId, entry });
      holders.set(entry.name, list);
    }
  }
  for (const name of [...holders.keys()].sort()) {
    const held = holders.get(name)!;
    const variants = new Map<string, { sha256: string; sizeBytes: number; memberIds: string[] }>();
    for (const { memberId, entry } of held) {
      const key = `${entry.sha256}/${entry.sizeBytes}`;
      const v = variants.get(key) ?? { sha256: entry.sha256, sizeBytes: entry.sizeBytes, memberIds: [] };
      v.memberIds.push(memberId);
      variants.set(key, v);
    }
    const first = held[0]!.entry;
    if (variants.size > 1) {
      diff.conflicts.push({ name, startMs: first.startMs, variants: [...variants.values()].sort((a, b) => (a.sha256 < b.sha256 ? -1 : 1)) });
      continue;
    }
    const sources = held.filter((h) => !h.entry.rot).map((h) => h.memberId).sort();
    const need = (memberId: string, list: NeededSegment[]) => {
      if (sources.length === 0) diff.unrepairable.push({ memberId, name, reason: 'no member holds a copy without bit rot' });
      else list.push({ name, startMs: first.startMs, durationMs: first.durationMs, sizeBytes: first.sizeBytes, sha256: first.sha256, sources });
    };
    const holderIds = new Set(held.map((h) => h.memberId));
    for (const m of members) if (!holderIds.has(m.memberId)) need(m.memberId, diff.missing[m.memberId]!);
    for (const h of held) if (h.entry.rot) need(h.memberId, diff.rot[h.memberId]!);
  }
  return diff;
}
