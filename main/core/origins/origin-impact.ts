/** "What goes dark if origin X dies": streams live only there, and streams that would drop below minOrigins. Pure. */
import type { OriginMatrix, OriginSettings } from './matrix-view';
import { minOriginsFor } from './redundancy-rules';

export interface StreamImpact {
  key: string;
  clients: number;
  /** The origins the stream would still be live on. */
  remaining: string[];
}

export interface OriginLossImpact {
  hostId: string;
  /** Live only on this origin: off the air if it dies. */
  dark: StreamImpact[];
  /** Still live elsewhere, but below its minimum. */
  belowMin: StreamImpact[];
  /** Players of the dark streams. */
  playersCut: number;
}

export function originLossImpact(matrix: OriginMatrix, hostId: string, settings: OriginSettings): OriginLossImpact {
  const dark: StreamImpact[] = [];
  const belowMin: StreamImpact[] = [];
  for (const row of matrix.streams) {
    if (!row.liveOn.includes(hostId)) continue;
    const remaining = row.liveOn.filter((id) => id !== hostId);
    const impact = { key: row.key, clients: row.clients, remaining };
    if (remaining.length === 0) dark.push(impact);
    else if (remaining.length < minOriginsFor(row.key, settings)) belowMin.push(impact);
  }
  return { hostId, dark, belowMin, playersCut: dark.reduce((sum, s) => sum + s.clients, 0) };
}

/** The impact of losing each origin, worst first (most streams dark). */
export function originLossImpacts(matrix: OriginMatrix, settings: OriginSettings): OriginLossImpact[] {
  return matrix.origins
    .map((o) => originLossImpact(matrix, o.hostId, settings))
    .sort((a, b) => b.dark.length - a.dark.length || b.belowMin.length - a.belowMin.length);
}
