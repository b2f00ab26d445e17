/** Compares the per-hour digests of a replica set's members: which hours need a closer look. */
import type { HourDigest } from '../../../agents/protocol/archive';

export interface MemberHourDigests {
  memberId: string;
  hours: HourDigest[];
}

export type HourDiffReason = 'missing-hour' | 'digest' | 'rot';

export interface HourDifference {
  hour: string;
  reasons: HourDiffReason[];
  members: { memberId: string; digest: string | null; segments: number; bytes: number; rotSegments: number }[];
}

/** The hours (sorted) where the members disagree, one lacks the hour, or a member reports bit rot. */
export function hoursThatDiffer(members: MemberHourDigests[]): HourDifference[] {
  const byMember = members.map((m) => ({ memberId: m.memberId, hours: new Map(m.hours.map((h) => [h.hour, h])) }));
  const allHours = [...new Set(members.flatMap((m) => m.hours.map((h) => h.hour)))].sort();
  const out: HourDifference[] = [];
  for (const hour of allHours) {
    const row = byMember.map(({ memberId, hours }) => {
      const h = hours.get(hour);
      return { memberId, digest: h?.digest ?? null, segments: h?.segments ?? 0, bytes: h?.bytes ?? 0, rotSegments: h?.rotSegments ?? 0 };
    });
    const reasons: HourDiffReason[] = [];
    if (row.some((r) => r.digest === null)) reasons.push('missing-hour');
    if (new Set(row.filter((r) => r.digest !== null).map((r) => r.digest)).size > 1) reasons.push('digest');
    if (row.some((r) => r.rotSegments > 0)) reasons.push('rot');
    if (reasons.length > 0) out.push({ hour, reasons, members: row });
  }
  return out;
}
