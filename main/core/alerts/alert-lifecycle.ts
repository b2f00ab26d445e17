/**
 * One step of the alert engine (the Draft) and what a signal does to it: raise (new alert, dedup, escalation),
 * clear (resolve, or become flapping), resolve. alert-engine.ts drives these.
 */
import { worseSeverity } from '../severity';
import { escalatedEntry, firedEntry, flappingEntry, resolvedEntry } from './alert-journal';
import { conditionAfter, isFlapping, transitionsInWindow } from './alert-flapping';
import type { Alert, AlertEffect, AlertEngineState, AlertEvent, AlertJournalInput, KeyCondition, ResolveReason } from './alert-schemas';
import { suppressionContext, suppressionOf } from './alert-suppression';

/**
 * The working copy of one step. Arrays are copied (cheap) and changed in place; alerts are replaced, never mutated;
 * the parents map is replaced only when it changes. `changed` collects the ids of alerts replaced or removed.
 */
export interface Draft {
  s: AlertEngineState;
  nowMs: number;
  journal: AlertJournalInput[];
  notifications: AlertEffect[];
  changed: Set<string>;
  silencesChanged: boolean;
}

export function raise(d: Draft, event: Extract<AlertEvent, { type: 'raise' }>): void {
  const { s, nowMs } = d;
  const { condition, transition } = conditionAfter(event.key, conditionOf(s, event.key), true, nowMs, s.settings.flapWindowMs);
  setCondition(s, condition);
  const existing = s.open.find((a) => a.key === event.key);
  if (existing) {
    put(d, refreshed(d, existing, event));
    return;
  }
  const alert: Alert = {
    id: `a-${nowMs.toString(36)}-${(s.seq++).toString(36)}`,
    key: event.key,
    kind: event.kind,
    severity: event.severity,
    hostId: event.hostId,
    summary: event.summary,
    hostDown: event.hostDown ?? false,
    status: 'firing',
    firedAtMs: nowMs,
    lastSeenAtMs: nowMs,
    raiseCount: 1,
    ack: null,
    resolvedAtMs: null,
    resolvedBy: null,
    resolveReason: null,
    flapping: transition && isFlapping(condition, s.settings, nowMs),
    flappingSinceMs: null,
    suppressedBy: null,
    notifiedSeverity: null,
  };
  if (alert.flapping) alert.flappingSinceMs = nowMs;
  put(d, alert);
  alert.suppressedBy = suppressionOf(alert, suppressionContext(s, nowMs));
  d.journal.push(firedEntry(alert, summaryLookup(s)));
}

/** A repeated raise of an open alert: dedup. A worse severity escalates it and asks for a new acknowledgement. */
function refreshed(d: Draft, existing: Alert, event: Extract<AlertEvent, { type: 'raise' }>): Alert {
  const severity = worseSeverity(existing.severity, event.severity);
  const escalated = severity !== existing.severity;
  const ackCleared = escalated && existing.status === 'acknowledged';
  const alert: Alert = {
    ...existing,
    severity,
    summary: event.summary,
    hostDown: event.hostDown ?? false,
    status: ackCleared ? 'firing' : existing.status,
    lastSeenAtMs: d.nowMs,
    raiseCount: existing.raiseCount + 1,
  };
  if (escalated) d.journal.push(escalatedEntry(alert, existing.severity, ackCleared));
  return alert;
}

export function clear(d: Draft, key: string): void {
  const { s, nowMs } = d;
  const before = conditionOf(s, key);
  if (!before?.raised) return;
  const { condition } = conditionAfter(key, before, false, nowMs, s.settings.flapWindowMs);
  setCondition(s, condition);
  const alert = s.open.find((a) => a.key === key);
  if (!alert || alert.flapping) return;
  if (isFlapping(condition, s.settings, nowMs)) {
    const flapping: Alert = { ...alert, flapping: true, flappingSinceMs: nowMs, lastSeenAtMs: nowMs };
    put(d, flapping);
    d.journal.push(flappingEntry(flapping, transitionsInWindow(condition, s.settings.flapWindowMs, nowMs)));
    return;
  }
  resolve(d, alert, null, 'cleared', '');
}

export function resolve(d: Draft, alert: Alert, by: string | null, reason: ResolveReason, comment: string): void {
  const { s } = d;
  const resolved: Alert = { ...alert, status: 'resolved', resolvedAtMs: d.nowMs, resolvedBy: by, resolveReason: reason };
  s.open = s.open.filter((a) => a.key !== alert.key);
  d.changed.add(alert.id);
  s.history.push(resolved);
  if (s.history.length > s.settings.historyLimit) s.history.splice(0, s.history.length - s.settings.historyLimit);
  d.journal.push(resolvedEntry(resolved, comment));
}

/** Replaces the open alert with the same key, or adds it. */
export function put(d: Draft, alert: Alert): void {
  const i = d.s.open.findIndex((a) => a.key === alert.key);
  if (i >= 0) d.s.open[i] = alert;
  else d.s.open.push(alert);
  d.changed.add(alert.id);
}

export function conditionOf(s: AlertEngineState, key: string): KeyCondition | undefined {
  return s.conditions.find((c) => c.key === key);
}

function setCondition(s: AlertEngineState, condition: KeyCondition): void {
  const i = s.conditions.findIndex((c) => c.key === condition.key);
  if (i >= 0) s.conditions[i] = condition;
  else s.conditions.push(condition);
}

export function summaryLookup(s: AlertEngineState): (alertId: string) => string | undefined {
  return (alertId) => (s.open.find((a) => a.id === alertId) ?? s.history.findLast((a) => a.id === alertId))?.summary;
}
