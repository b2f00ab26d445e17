/**
 * Remembers since when each gap (a segment a member lacks) has been seen, so a gap left unrepaired longer than a set
 * time raises an alert. Pure: the caller keeps the state and passes the clock's time.
 */
export interface GapTrackerState {
  /** `member stream segment` → first time it was seen missing. */
  firstSeenMs: Record<string, number>;
}

export interface OpenGap {
  memberId: string;
  stream: string;
  segment: string;
}

export interface OverdueGaps {
  memberId: string;
  stream: string;
  segments: number;
  oldestSeenMs: number;
}

export const emptyGapTracker = (): GapTrackerState => ({ firstSeenMs: {} });

export function trackGaps(
  state: GapTrackerState,
  open: OpenGap[],
  nowMs: number,
  maxAgeMs: number,
): { state: GapTrackerState; overdue: OverdueGaps[] } {
  const firstSeenMs: Record<string, number> = {};
  const overdue = new Map<string, OverdueGaps>();
  for (const gap of open) {
    const key = `${gap.memberId} ${gap.stream} ${gap.segment}`;
    const seen = state.firstSeenMs[key] ?? nowMs;
    firstSeenMs[key] = seen;
    if (nowMs - seen < maxAgeMs) continue;
    const groupKey = `${gap.memberId} ${gap.stream}`;
    const o = overdue.get(groupKey) ?? { memberId: gap.memberId, stream: gap.stream, segments: 0, oldestSeenMs: seen };
    o.segments++;
    o.oldestSeenMs = Math.min(o.oldestSeenMs, seen);
    overdue.set(groupKey, o);
  }
  return { state: { firstSeenMs }, overdue: [...overdue.values()].sort((a, b) => (a.memberId + a.stream < b.memberId + b.stream ? -1 : 1)) };
}
