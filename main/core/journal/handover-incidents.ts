/**
 * Incidents for the shift report, rebuilt from the journal (alert.* and host.health entries) and the engine's alert
 * history. An incident is an alert from firing to resolved, or a host from down to up when no alert covers it.
 * Alerts folded under a root cause are listed under it, not as incidents of their own.
 */
import { z } from 'zod';
import { ALERT_JOURNAL_KINDS as K } from '../alerts/alert-journal';
import { type Alert, Suppression } from '../alerts/alert-schemas';
import type { JournalEntry } from '../api';
import { Severity } from '../severity';
import type { HandoverWindow, Incident, IncidentAck } from './handover-schemas';

const AlertEntryData = z.looseObject({
  alertId: z.string(),
  key: z.string().optional(),
  kind: z.string().optional(),
  severity: Severity.optional(),
  hostDown: z.boolean().optional(),
  summary: z.string().optional(),
  flapping: z.boolean().optional(),
  suppressedBy: Suppression.nullable().optional(),
  comment: z.string().optional(),
  firedAtMs: z.number().optional(),
  resolvedAtMs: z.number().nullable().optional(),
});

const ALERT_ENTRY_KINDS: ReadonlySet<string> = new Set([
  K.fired,
  K.escalated,
  K.acknowledged,
  K.resolved,
  K.flapping,
  K.flappingStopped,
  K.suppressed,
  K.unsuppressed,
]);

const HealthEntryData = z.looseObject({ from: z.string(), to: z.string() });

/** What is known about one alert, merged from the alert history and the journal. */
interface AlertTrack {
  id: string;
  key: string | null;
  severity: Severity;
  hostId: string | null;
  summary: string;
  hostDown: boolean;
  firedAtMs: number | null;
  resolvedAtMs: number | null;
  resolvedBy: string | null;
  acks: IncidentAck[];
  flapping: boolean;
  suppressedBy: Suppression | null;
}

export interface IncidentsResult {
  incidents: Incident[];
  /** alert.* or host.health entries whose data could not be read. */
  unreadableEntries: number;
}

export function incidentsOf(entries: readonly JournalEntry[], alerts: readonly Alert[], window: HandoverWindow, hostNames: Record<string, string>): IncidentsResult {
  const tracks = new Map<string, AlertTrack>();
  for (const alert of alerts) tracks.set(alert.id, trackOfAlert(alert));
  let unreadableEntries = 0;
  for (const entry of entries) {
    if (!ALERT_ENTRY_KINDS.has(entry.kind)) continue;
    const data = AlertEntryData.safeParse(entry.data ?? {});
    if (data.success) mergeEntry(tracks, entry, data.data);
    else unreadableEntries++;
  }
  const overlapping = [...tracks.values()].filter((t) => (t.firedAtMs ?? window.fromMs) <= window.toMs && (t.resolvedAtMs ?? Infinity) >= window.fromMs);
  const alertIncidents = alertIncidentsOf(overlapping, window);
  const outages = hostOutagesOf(entries, window, hostNames);
  unreadableEntries += outages.unreadable;
  const uncovered = outages.incidents.filter((o) => !overlapping.some((t) => t.hostDown && t.hostId === o.hostId && overlaps(t, o, window)));
  return { incidents: [...alertIncidents, ...uncovered].sort((a, b) => a.startAtMs - b.startAtMs), unreadableEntries };
}

function trackOfAlert(a: Alert): AlertTrack {
  return {
    id: a.id,
    key: a.key,
    severity: a.severity,
    hostId: a.hostId,
    summary: a.summary,
    hostDown: a.hostDown,
    firedAtMs: a.firedAtMs,
    resolvedAtMs: a.resolvedAtMs,
    resolvedBy: a.resolvedBy,
    acks: a.ack ? [a.ack] : [],
    flapping: a.flapping,
    suppressedBy: a.suppressedBy,
  };
}

function mergeEntry(tracks: Map<string, AlertTrack>, entry: JournalEntry, data: z.infer<typeof AlertEntryData>): void {
  const t = tracks.get(data.alertId) ?? {
    id: data.alertId,
    key: data.key ?? null,
    severity: data.severity ?? entry.severity,
    hostId: entry.hostId,
    summary: data.summary ?? entry.message,
    hostDown: data.hostDown ?? false,
    firedAtMs: null,
    resolvedAtMs: null,
    resolvedBy: null,
    acks: [],
    flapping: false,
    suppressedBy: null,
  };
  tracks.set(t.id, t);
  if (data.severity) t.severity = data.severity;
  if (data.summary) t.summary = data.summary;
  if (data.flapping) t.flapping = true;
  if (data.hostDown) t.hostDown = true; // an alert that ever said its host was down covers the host's outage
  if (data.suppressedBy !== undefined) t.suppressedBy = data.suppressedBy;
  switch (entry.kind) {
    case K.fired:
      t.firedAtMs = entry.at;
      break;
    case K.acknowledged:
      if (entry.operator && !t.acks.some((a) => a.by === entry.operator && a.atMs === entry.at)) {
        t.acks.push({ by: entry.operator, atMs: entry.at, comment: data.comment ?? '' });
        t.acks.sort((a, b) => a.atMs - b.atMs);
      }
      break;
    case K.resolved:
      t.firedAtMs ??= data.firedAtMs ?? null;
      t.resolvedAtMs = data.resolvedAtMs ?? entry.at;
      t.resolvedBy = entry.operator;
      break;
    case K.flapping:
      t.flapping = true;
      break;
  }
}

function alertIncidentsOf(tracks: AlertTrack[], window: HandoverWindow): Incident[] {
  const incidents = new Map<string, Incident>();
  const folded: AlertTrack[] = [];
  for (const t of tracks) {
    if (t.suppressedBy?.reason === 'parent') folded.push(t);
    else incidents.set(t.id, incidentOfTrack(t, window));
  }
  for (const t of folded) {
    const root = t.suppressedBy?.reason === 'parent' ? incidents.get(t.suppressedBy.rootAlertId) : undefined;
    if (root) root.folded.push(t.summary);
    else incidents.set(t.id, incidentOfTrack(t, window));
  }
  return [...incidents.values()];
}

function incidentOfTrack(t: AlertTrack, window: HandoverWindow): Incident {
  const startAtMs = t.firedAtMs ?? window.fromMs;
  const endAtMs = t.resolvedAtMs !== null && t.resolvedAtMs <= window.toMs ? t.resolvedAtMs : null;
  const quiet = t.suppressedBy?.reason;
  return {
    id: t.id,
    source: 'alert',
    title: t.summary,
    severity: t.severity,
    hostId: t.hostId,
    key: t.key,
    startAtMs,
    startedBeforeWindow: startAtMs < window.fromMs || t.firedAtMs === null,
    endAtMs,
    durationMs: Math.max(0, (endAtMs ?? window.toMs) - startAtMs),
    acks: t.acks.filter((a) => a.atMs <= window.toMs),
    resolvedBy: endAtMs === null ? null : t.resolvedBy,
    flapping: t.flapping,
    quietReason: quiet === 'maintenance' || quiet === 'silence' ? quiet : null,
    folded: [],
  };
}

function hostOutagesOf(entries: readonly JournalEntry[], window: HandoverWindow, hostNames: Record<string, string>): { incidents: Incident[]; unreadable: number } {
  const open = new Map<string, number | null>();
  const incidents: Incident[] = [];
  let unreadable = 0;
  const outage = (hostId: string, startAtMs: number | null, endAtMs: number | null): Incident => {
    const start = startAtMs ?? window.fromMs;
    return {
      id: `host:${hostId}@${start}`,
      source: 'host',
      title: `${hostNames[hostId] ?? hostId} down`,
      severity: 'critical',
      hostId,
      key: null,
      startAtMs: start,
      startedBeforeWindow: startAtMs === null,
      endAtMs,
      durationMs: Math.max(0, (endAtMs ?? window.toMs) - start),
      acks: [],
      resolvedBy: null,
      flapping: false,
      quietReason: null,
      folded: [],
    };
  };
  for (const entry of entries) {
    if (entry.kind !== 'host.health' || entry.hostId === null) continue;
    const data = HealthEntryData.safeParse(entry.data ?? {});
    if (!data.success) {
      unreadable++;
      continue;
    }
    if (data.data.to === 'down' && !open.has(entry.hostId)) open.set(entry.hostId, entry.at);
    else if (data.data.from === 'down' && data.data.to !== 'down') {
      incidents.push(outage(entry.hostId, open.has(entry.hostId) ? open.get(entry.hostId)! : null, entry.at));
      open.delete(entry.hostId);
    }
  }
  for (const [hostId, startAtMs] of open) incidents.push(outage(hostId, startAtMs, null));
  return { incidents, unreadable };
}

function overlaps(t: AlertTrack, o: Incident, window: HandoverWindow): boolean {
  const tStart = t.firedAtMs ?? window.fromMs;
  const tEnd = t.resolvedAtMs ?? window.toMs;
  return tStart <= (o.endAtMs ?? window.toMs) && tEnd >= o.startAtMs;
}
