/**
 * Findings as the alert engine's input: a new or changed finding is a `raise` with the finding's dedup key, a finding
 * that is gone is a `clear`, and the uplinks are the engine's `topology` (so a host behind a dead switch folds under
 * the switch's alert). Structurally the `raise`/`clear`/`topology` events of alerts/alert-schemas.ts. Pure.
 */
import type { Severity } from '../severity';
import type { Finding, FindingChanges } from './finding';

export type FindingAlertEvent =
  | { type: 'raise'; key: string; kind: string; severity: Severity; hostId: string | null; summary: string; hostDown: boolean }
  | { type: 'clear'; key: string }
  | { type: 'topology'; parents: Record<string, string[]> };

export function raiseEvent(f: Finding): FindingAlertEvent {
  return { type: 'raise', key: f.key, kind: f.kind, severity: f.severity, hostId: f.hostId, summary: f.summary, hostDown: f.hostDown };
}

/**
 * Advisories are not alerts: a single point of failure is a standing fact of the wiring, not an incident — nobody can
 * acknowledge it away, and as an alert it would keep the wall from ever reading "all OK". It stays a finding (listed
 * with its fix on the desk and the wall's switch page) and is never sent to the alert engine.
 */
export const ADVISORY_KINDS: ReadonlySet<string> = new Set(['network.spof']);

export function findingAlertEvents(changes: FindingChanges, before: readonly Finding[] = []): FindingAlertEvent[] {
  const advisory = new Set(before.filter((f) => ADVISORY_KINDS.has(f.kind)).map((f) => f.key));
  return [
    ...changes.cleared.filter((key) => !advisory.has(key)).map((key): FindingAlertEvent => ({ type: 'clear', key })),
    ...changes.raised.filter((f) => !ADVISORY_KINDS.has(f.kind)).map(raiseEvent),
  ];
}

export function topologyEvent(parents: Record<string, string[]>): FindingAlertEvent {
  return { type: 'topology', parents };
}
