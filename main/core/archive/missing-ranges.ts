/** Turns lists of segments into time ranges an operator can read ("10:02:14–10:02:44 missing on archive-b"). */
import type { HourIndexDiff } from './index-diff';

export interface TimeRange {
  fromMs: number;
  toMs: number;
  segments: number;
  bytes: number;
}

/** Segments closer than this are one range (recorded segments touch exactly; a little slack absorbs rounding). */
export const DEFAULT_RANGE_TOLERANCE_MS = 500;

export function mergeIntoRanges(
  segments: { startMs: number; durationMs: number; sizeBytes: number }[],
  toleranceMs = DEFAULT_RANGE_TOLERANCE_MS,
): TimeRange[] {
  const sorted = [...segments].sort((a, b) => a.startMs - b.startMs);
  const ranges: TimeRange[] = [];
  for (const s of sorted) {
    const last = ranges[ranges.length - 1];
    if (last && s.startMs <= last.toMs + toleranceMs) {
      last.toMs = Math.max(last.toMs, s.startMs + s.durationMs);
      last.segments++;
      last.bytes += s.sizeBytes;
    } else {
      ranges.push({ fromMs: s.startMs, toMs: s.startMs + s.durationMs, segments: 1, bytes: s.sizeBytes });
    }
  }
  return ranges;
}

/** Per member, the time ranges it lacks across the given hours (bit-rot segments count as missing). */
export function missingRangesByMember(diffs: HourIndexDiff[], toleranceMs = DEFAULT_RANGE_TOLERANCE_MS): Record<string, TimeRange[]> {
  const members = new Set(diffs.flatMap((d) => [...Object.keys(d.missing), ...Object.keys(d.rot)]));
  const out: Record<string, TimeRange[]> = {};
  for (const memberId of [...members].sort()) {
    const needed = diffs.flatMap((d) => [...(d.missing[memberId] ?? []), ...(d.rot[memberId] ?? [])]);
    out[memberId] = mergeIntoRanges(needed, toleranceMs);
  }
  return out;
}
