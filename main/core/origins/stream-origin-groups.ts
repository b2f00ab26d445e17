/** The origins a stream is live on, as redundancy groups for the single-point-of-failure rule of network/. */
import type { RedundancyGroup } from '../network/spof-advisor';
import type { OriginMatrix } from './matrix-view';

export function streamOriginGroups(matrix: OriginMatrix): RedundancyGroup[] {
  const names = new Map(matrix.origins.map((o) => [o.hostId, o.hostName]));
  return matrix.streams
    .filter((row) => row.liveOn.length >= 2)
    .map((row) => ({
      key: `stream-origins:${row.key}`,
      kind: 'stream-origins' as const,
      label: row.key,
      members: row.liveOn.map((id) => ({ id, name: names.get(id) ?? id })),
    }));
}
