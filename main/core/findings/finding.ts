/**
 * A finding: a condition a pure rule found in the plant (a stream on one origin, a dead switch, a single point of
 * failure). Rules return the full set each time they run; `diffFindings` turns two sets into what to raise and clear.
 * The fields line up with the alert engine's `raise` event (key, kind, severity, hostId, summary, hostDown).
 * zod only, so api.ts can re-export it.
 */
import { z } from 'zod';
import { Severity } from '../severity';

export const Finding = z.object({
  /** Dedup key: one open finding per key, stable across runs, e.g. `origin:live/ch1:redundancy`. */
  key: z.string().min(1).max(200),
  kind: z.string().min(1).max(100),
  severity: Severity,
  /** The host (or switch id) the finding is about; null for plant-wide findings. */
  hostId: z.string().nullable(),
  summary: z.string().max(500),
  /** The subject itself is down or unreachable: findings about its children fold under it. */
  hostDown: z.boolean(),
  /** What an operator can do about it, in words; null when there is nothing to add. */
  fix: z.string().max(500).nullable(),
  /** Hosts (or switches) the finding concerns besides its subject: folded hosts, group members, origins. */
  related: z.array(z.string()),
});
export type Finding = z.infer<typeof Finding>;

export interface FindingChanges {
  /** New findings and findings whose severity, summary or related set changed. */
  raised: Finding[];
  /** Keys of findings that are gone. */
  cleared: string[];
}

export function diffFindings(before: readonly Finding[], after: readonly Finding[]): FindingChanges {
  const old = new Map(before.map((f) => [f.key, f]));
  const now = new Set(after.map((f) => f.key));
  const raised = after.filter((f) => {
    const prev = old.get(f.key);
    return !prev || prev.severity !== f.severity || prev.summary !== f.summary || prev.related.join() !== f.related.join();
  });
  const cleared = [...old.keys()].filter((key) => !now.has(key));
  return { raised, cleared };
}
