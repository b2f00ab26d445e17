import { type HourDigest, hourKeyOfMs, type SegmentEntry, segmentNameForStartMs } from '../../../../agents/protocol/archive';

export const T0 = Date.UTC(2025, 0, 1, 10, 0, 0);

/** A 2-second segment `i` slots after T0 with a content tag standing in for its bytes. */
export function seg(i: number, tag = 'a', opts: { rot?: boolean; sizeBytes?: number } = {}): SegmentEntry {
  const startMs = T0 + i * 2000;
  const entry: SegmentEntry = { name: segmentNameForStartMs(startMs), startMs, durationMs: 2000, sizeBytes: opts.sizeBytes ?? 1000, sha256: tag.repeat(64).slice(0, 64) };
  if (opts.rot) entry.rot = true;
  return entry;
}

export const HOUR = hourKeyOfMs(T0);

export function hourDigest(hour: string, digestTag: string, rotSegments = 0): HourDigest {
  return { hour, segments: 10, bytes: 10_000, digest: digestTag.repeat(64).slice(0, 64), rotSegments };
}
