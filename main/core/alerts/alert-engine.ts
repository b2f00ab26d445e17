/**
 * The alert engine as a pure state machine: next(state, event, nowMs) → { state, effects }. No timers, no I/O:
 * the shell feeds it signals, operator commands and ticks, then performs the effects (notify, journal, sound).
 *
 * Lifecycle per dedup key: firing → acknowledged → resolved. A raise after resolution starts a new alert.
 * After every event the engine re-derives silences' expiry, flapping, suppression, notifications and the sound.
 */
import { severityRank } from '../severity';
import { acknowledgedEntry, flappingStoppedEntry, muteEntry, silenceEntry, suppressionEntry } from './alert-journal';
import { isForgettable, isQuiet } from './alert-flapping';
import { clear, conditionOf, type Draft, put, raise, resolve, summaryLookup } from './alert-lifecycle';
import { type Alert, type AlertEffect, type AlertEngineState, type AlertEvent, type AlertSettings, type AlertStep, DEFAULT_ALERT_SETTINGS } from './alert-schemas';
import { alarmingAlertIds } from './alert-sound';
import { sameSuppression, suppressionChangeIsNews, suppressionContext, suppressionOf } from './alert-suppression';

export function initialAlertState(settings: AlertSettings = DEFAULT_ALERT_SETTINGS): AlertEngineState {
  return { open: [], history: [], silences: [], maintenanceHostIds: [], parents: {}, conditions: [], muted: false, soundOn: false, seq: 0, settings };
}

export function next(state: AlertEngineState, event: AlertEvent, nowMs: number): AlertStep {
  const d: Draft = {
    s: {
      ...state,
      open: [...state.open],
      history: [...state.history],
      silences: [...state.silences],
      maintenanceHostIds: [...state.maintenanceHostIds],
      conditions: [...state.conditions],
    },
    nowMs,
    journal: [],
    notifications: [],
    changed: new Set(),
    silencesChanged: false,
  };
  const refusal = apply(d, event);
  if (refusal !== null) return { state, effects: [{ type: 'refused', reason: refusal }] };
  expireSilences(d);
  settleFlapping(d);
  reconcileSuppression(d);
  notifyActive(d);
  if (event.type === 'tick') forgetSettledConditions(d);
  const effects: AlertEffect[] = [...d.journal.map((entry) => ({ type: 'journal' as const, entry })), ...d.notifications];
  const alertIds = alarmingAlertIds(d.s);
  const soundOn = !d.s.muted && alertIds.length > 0;
  if (soundOn !== state.soundOn) {
    d.s.soundOn = soundOn;
    effects.push({ type: 'sound', on: soundOn, alertIds });
  }
  if (d.changed.size > 0 || d.silencesChanged) effects.push({ type: 'changed', alertIds: [...d.changed], silences: d.silencesChanged });
  return { state: d.s, effects };
}

/** Applies the event itself; returns why it was refused, or null. */
function apply(d: Draft, event: AlertEvent): string | null {
  const { s } = d;
  switch (event.type) {
    case 'raise':
      raise(d, event);
      return null;
    case 'clear':
      clear(d, event.key);
      return null;
    case 'ack': {
      const alert = s.open.find((a) => a.id === event.alertId);
      if (!alert) return missingAlertReason(s, event.alertId);
      if (alert.status === 'acknowledged') return `already acknowledged by ${alert.ack?.by ?? 'someone'}`;
      const acked: Alert = { ...alert, status: 'acknowledged', ack: { by: event.operator, atMs: d.nowMs, comment: event.comment } };
      put(d, acked);
      d.journal.push(acknowledgedEntry(acked));
      return null;
    }
    case 'resolve': {
      const alert = s.open.find((a) => a.id === event.alertId);
      if (!alert) return missingAlertReason(s, event.alertId);
      resolve(d, alert, event.operator, 'manual', event.comment);
      return null;
    }
    case 'silence.add': {
      if (event.expiresAtMs <= d.nowMs) return 'a silence must expire in the future';
      const silence = {
        id: `s-${d.nowMs.toString(36)}-${(s.seq++).toString(36)}`,
        matcher: event.matcher,
        createdBy: event.operator,
        comment: event.comment,
        createdAtMs: d.nowMs,
        expiresAtMs: event.expiresAtMs,
      };
      s.silences.push(silence);
      d.journal.push(silenceEntry('added', silence, event.operator));
      d.silencesChanged = true;
      return null;
    }
    case 'silence.remove': {
      const silence = s.silences.find((x) => x.id === event.silenceId);
      if (!silence) return `no silence ${event.silenceId} (it may have expired)`;
      s.silences = s.silences.filter((x) => x !== silence);
      d.journal.push(silenceEntry('removed', silence, event.operator));
      d.silencesChanged = true;
      return null;
    }
    case 'maintenance':
      s.maintenanceHostIds = s.maintenanceHostIds.filter((h) => h !== event.hostId);
      if (event.on) s.maintenanceHostIds.push(event.hostId);
      return null;
    case 'topology':
      s.parents = Object.fromEntries(Object.entries(event.parents).filter(([, parents]) => parents.length > 0));
      return null;
    case 'mute':
      if (s.muted !== event.muted) d.journal.push(muteEntry(event.muted, event.operator));
      s.muted = event.muted;
      return null;
    case 'configure':
      s.settings = event.settings;
      s.history = s.history.slice(Math.max(0, s.history.length - s.settings.historyLimit));
      return null;
    case 'host.removed':
      forgetHost(d, event.hostId, event.operator);
      return null;
    case 'tick':
      return null;
  }
}

function forgetHost(d: Draft, hostId: string, operator: string | null): void {
  const { s } = d;
  for (const alert of s.open.filter((a) => a.hostId === hostId)) {
    resolve(d, alert, operator, 'host-removed', 'host removed from the inventory');
    s.conditions = s.conditions.filter((c) => c.key !== alert.key);
  }
  s.maintenanceHostIds = s.maintenanceHostIds.filter((h) => h !== hostId);
  const parents: Record<string, string[]> = {};
  for (const [child, ups] of Object.entries(s.parents)) {
    const left = ups.filter((p) => p !== hostId);
    if (child !== hostId && left.length > 0) parents[child] = left;
  }
  s.parents = parents;
}

function expireSilences(d: Draft): void {
  const expired = d.s.silences.filter((x) => x.expiresAtMs <= d.nowMs);
  if (expired.length === 0) return;
  d.s.silences = d.s.silences.filter((x) => x.expiresAtMs > d.nowMs);
  for (const silence of expired) d.journal.push(silenceEntry('expired', silence, null));
  d.silencesChanged = true;
}

/** A flapping alert that has been quiet long enough resolves if its condition is clear, else fires as a normal alert. */
function settleFlapping(d: Draft): void {
  const { s, nowMs } = d;
  for (const alert of s.open.filter((a) => a.flapping)) {
    const condition = conditionOf(s, alert.key);
    if (!isQuiet(condition, s.settings.flapQuietMs, nowMs)) continue;
    if (condition?.raised) {
      const steady: Alert = { ...alert, flapping: false, flappingSinceMs: null };
      put(d, steady);
      d.journal.push(flappingStoppedEntry(steady));
    } else {
      resolve(d, alert, null, 'flapping-stopped', 'quiet since the last transition');
    }
  }
}

function reconcileSuppression(d: Draft): void {
  const { s } = d;
  const ctx = suppressionContext(s, d.nowMs);
  for (let i = 0; i < s.open.length; i++) {
    const alert = s.open[i]!;
    const suppressedBy = suppressionOf(alert, ctx);
    if (sameSuppression(suppressedBy, alert.suppressedBy)) continue;
    const updated: Alert = { ...alert, suppressedBy };
    s.open[i] = updated;
    d.changed.add(updated.id);
    if (suppressionChangeIsNews(alert.suppressedBy, suppressedBy)) d.journal.push(suppressionEntry(updated, alert.suppressedBy, summaryLookup(s)));
  }
}

/** Notify once per alert when it is loud, unacknowledged and of a notifying severity — again only if it gets worse. */
function notifyActive(d: Draft): void {
  const { s } = d;
  for (let i = 0; i < s.open.length; i++) {
    const alert = s.open[i]!;
    if (alert.status !== 'firing' || alert.suppressedBy !== null || !s.settings.notifySeverities.includes(alert.severity)) continue;
    if (alert.notifiedSeverity !== null && severityRank(alert.severity) <= severityRank(alert.notifiedSeverity)) continue;
    s.open[i] = { ...alert, notifiedSeverity: alert.severity };
    d.changed.add(alert.id);
    d.notifications.push({
      type: 'notify',
      alertId: alert.id,
      severity: alert.severity,
      hostId: alert.hostId,
      title: `${alert.severity[0]!.toUpperCase()}${alert.severity.slice(1)}: ${alert.summary}`,
      body: alert.flapping ? 'Flapping: raised and cleared repeatedly.' : `Firing since ${new Date(alert.firedAtMs).toISOString()}`,
    });
  }
}

function forgetSettledConditions(d: Draft): void {
  const { s, nowMs } = d;
  const openKeys = new Set(s.open.map((a) => a.key));
  s.conditions = s.conditions.filter((c) => !isForgettable(c, openKeys.has(c.key), s.settings.flapWindowMs, nowMs));
}

function missingAlertReason(s: AlertEngineState, alertId: string): string {
  return s.history.some((a) => a.id === alertId) ? `alert ${alertId} is already resolved` : `no alert ${alertId}`;
}
