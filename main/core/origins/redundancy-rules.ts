/**
 * The minOrigins rule (seed 003: a stream is published to one origin, or two for hot backup): a stream live on fewer
 * origins than wanted is a finding — critical on none, major on fewer than the minimum — and so is an origin whose
 * media server cannot be read (its streams no longer count). Pure.
 */
import type { Finding } from '../findings/finding';
import type { OriginMatrix, OriginSettings, StreamRow } from './matrix-view';

export const streamRedundancyKey = (streamKey: string): string => `origin:${streamKey}:redundancy`;

export function minOriginsFor(streamKey: string, settings: OriginSettings): number {
  return settings.minOriginsByStream[streamKey] ?? settings.minOrigins;
}

function originNames(matrix: OriginMatrix, hostIds: readonly string[]): string {
  const names = new Map(matrix.origins.map((o) => [o.hostId, o.hostName]));
  return hostIds.map((id) => names.get(id) ?? id).join(', ');
}

function streamFinding(matrix: OriginMatrix, row: StreamRow, min: number): Finding | null {
  const count = row.liveOn.length;
  if (count >= min) return null;
  const base = { key: streamRedundancyKey(row.key), kind: 'origin.redundancy', hostDown: false };
  if (count === 0) {
    const listedBy = Object.keys(row.cells);
    const waiting = row.clients > 0 ? `; ${row.clients} player${row.clients > 1 ? 's' : ''} waiting` : '';
    return {
      ...base,
      // A stream nobody expects and nobody publishes may simply have ended: loud only when it is expected.
      severity: row.expected ? 'critical' : 'major',
      hostId: null,
      summary: `${row.key} is live on no origin${waiting}`,
      fix: row.expected ? `Check the publisher of ${row.key} and the origins it publishes to.` : null,
      related: listedBy,
    };
  }
  return {
    ...base,
    severity: 'major',
    hostId: count === 1 ? row.liveOn[0]! : null,
    summary: `${row.key} is live on ${count} origin${count > 1 ? 's' : ''} (${originNames(matrix, row.liveOn)}); ${min} wanted`,
    fix: `Publish ${row.key} to ${min - count} more origin${min - count > 1 ? 's' : ''} so one origin failure does not take it off the air.`,
    related: [...row.liveOn],
  };
}

export function originFindings(matrix: OriginMatrix, settings: OriginSettings): Finding[] {
  const findings: Finding[] = [];
  for (const origin of matrix.origins) {
    if (origin.state !== 'api-error') continue;
    findings.push({
      key: `origin:${origin.hostId}:api`,
      kind: 'origin.api',
      severity: 'major',
      hostId: origin.hostId,
      summary: `${origin.hostName}: the ${origin.server ?? 'media'} server cannot be read${origin.error ? ` (${origin.error})` : ''}`.slice(0, 500),
      hostDown: false,
      fix: `Check the media server on ${origin.hostName}; its streams do not count towards redundancy meanwhile.`,
      related: [],
    });
  }
  for (const row of matrix.streams) {
    const finding = streamFinding(matrix, row, minOriginsFor(row.key, settings));
    if (finding) findings.push({ ...finding, summary: finding.summary.slice(0, 500) });
  }
  return findings;
}
