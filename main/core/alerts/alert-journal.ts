/**
 * The journal entries the alert engine asks for. Their kinds and data are a contract with the handover report,
 * which rebuilds incidents from them: change both together.
 */
import { durationText } from '../time-text';
import type { Alert, AlertJournalInput, Silence, SilenceMatcher, Suppression } from './alert-schemas';

/** Finds an alert's summary by id, so a fold reads "folded under sw-1 is down" rather than an id. */
export type SummaryOf = (alertId: string) => string | undefined;
const noSummaries: SummaryOf = () => undefined;

export const ALERT_JOURNAL_KINDS = {
  fired: 'alert.fired',
  escalated: 'alert.escalated',
  acknowledged: 'alert.acknowledged',
  resolved: 'alert.resolved',
  flapping: 'alert.flapping',
  flappingStopped: 'alert.flapping-stopped',
  suppressed: 'alert.suppressed',
  unsuppressed: 'alert.unsuppressed',
  silenceAdded: 'silence.added',
  silenceRemoved: 'silence.removed',
  silenceExpired: 'silence.expired',
  muted: 'alerts.muted',
  unmuted: 'alerts.unmuted',
} as const;

const K = ALERT_JOURNAL_KINDS;

function alertData(alert: Alert): Record<string, unknown> {
  return { alertId: alert.id, key: alert.key, kind: alert.kind, severity: alert.severity, hostDown: alert.hostDown, summary: alert.summary };
}

export function firedEntry(alert: Alert, summaryOf: SummaryOf = noSummaries): AlertJournalInput {
  const quiet = alert.suppressedBy !== null;
  return {
    kind: K.fired,
    severity: quiet ? 'info' : alert.severity,
    message: `${alert.flapping ? 'flapping' : 'alert'}: ${alert.summary}${quiet ? ` (${suppressionText(alert.suppressedBy!, summaryOf)})` : ''}`,
    hostId: alert.hostId,
    operator: null,
    data: { ...alertData(alert), flapping: alert.flapping, suppressedBy: alert.suppressedBy },
  };
}

export function escalatedEntry(alert: Alert, from: Alert['severity'], ackCleared: boolean): AlertJournalInput {
  return {
    kind: K.escalated,
    severity: alert.severity,
    message: `${alert.summary}: ${from} → ${alert.severity}${ackCleared ? ' (needs a new acknowledgement)' : ''}`,
    hostId: alert.hostId,
    operator: null,
    data: { ...alertData(alert), from, ackCleared },
  };
}

export function acknowledgedEntry(alert: Alert): AlertJournalInput {
  const ack = alert.ack!;
  return {
    kind: K.acknowledged,
    severity: 'info',
    message: `${ack.by} acknowledged "${alert.summary}"${ack.comment ? `: ${ack.comment}` : ''}`,
    hostId: alert.hostId,
    operator: ack.by,
    data: { ...alertData(alert), comment: ack.comment, outcome: 'ok' },
  };
}

export function resolvedEntry(alert: Alert, comment: string): AlertJournalInput {
  const durationMs = alert.resolvedAtMs! - alert.firedAtMs;
  const by = alert.resolvedBy ? ` by ${alert.resolvedBy}` : '';
  return {
    kind: K.resolved,
    severity: 'info',
    message: `resolved${by} after ${durationText(durationMs)}: ${alert.summary}${comment ? ` — ${comment}` : ''}`,
    hostId: alert.hostId,
    operator: alert.resolvedBy,
    data: {
      ...alertData(alert),
      firedAtMs: alert.firedAtMs,
      resolvedAtMs: alert.resolvedAtMs,
      durationMs,
      reason: alert.resolveReason,
      comment,
      suppressedBy: alert.suppressedBy,
      ...(alert.resolvedBy ? { outcome: 'ok' } : {}),
    },
  };
}

export function flappingEntry(alert: Alert, transitions: number): AlertJournalInput {
  return {
    kind: K.flapping,
    severity: alert.suppressedBy ? 'info' : 'warning',
    message: `flapping (${transitions} transitions): ${alert.summary}`,
    hostId: alert.hostId,
    operator: null,
    data: { ...alertData(alert), transitions },
  };
}

export function flappingStoppedEntry(alert: Alert): AlertJournalInput {
  return {
    kind: K.flappingStopped,
    severity: 'info',
    message: `stopped flapping, still firing: ${alert.summary}`,
    hostId: alert.hostId,
    operator: null,
    data: alertData(alert),
  };
}

export function suppressionEntry(alert: Alert, before: Suppression | null, summaryOf: SummaryOf = noSummaries): AlertJournalInput {
  const now = alert.suppressedBy;
  return {
    kind: now ? K.suppressed : K.unsuppressed,
    severity: 'info',
    message: now ? `${suppressionText(now, summaryOf)}: ${alert.summary}` : `no longer ${suppressionText(before!, summaryOf)}: ${alert.summary}`,
    hostId: alert.hostId,
    operator: null,
    data: { ...alertData(alert), suppressedBy: now, before },
  };
}

export function silenceEntry(kind: 'added' | 'removed' | 'expired', silence: Silence, operator: string | null): AlertJournalInput {
  const what = matcherText(silence.matcher);
  const until = new Date(silence.expiresAtMs).toISOString();
  const message = {
    added: `${operator} silenced ${what} until ${until}${silence.comment ? `: ${silence.comment}` : ''}`,
    removed: `${operator} removed the silence of ${what}`,
    expired: `silence of ${what} expired`,
  }[kind];
  const entryKind = { added: K.silenceAdded, removed: K.silenceRemoved, expired: K.silenceExpired }[kind];
  return { kind: entryKind, severity: 'info', message, hostId: silence.matcher.hostId ?? null, operator, data: { silence, ...(operator ? { outcome: 'ok' } : {}) } };
}

export function muteEntry(muted: boolean, operator: string): AlertJournalInput {
  return {
    kind: muted ? K.muted : K.unmuted,
    severity: 'info',
    message: `${operator} ${muted ? 'muted' : 'unmuted'} the alarm sound`,
    hostId: null,
    operator,
    data: { muted, outcome: 'ok' },
  };
}

export function suppressionText(s: Suppression, summaryOf: SummaryOf = noSummaries): string {
  if (s.reason === 'maintenance') return 'host in maintenance';
  if (s.reason === 'parent') return `folded under root cause "${summaryOf(s.rootAlertId) ?? s.rootAlertId}"`;
  return `silenced by ${s.silenceId}`;
}

export function matcherText(m: SilenceMatcher): string {
  const parts = [
    m.keyPrefix !== undefined ? `key ${m.keyPrefix}*` : null,
    m.hostId !== undefined ? `host ${m.hostId}` : null,
    m.severity !== undefined ? `severity ${m.severity.join('/')}` : null,
    m.kind !== undefined ? `kind ${m.kind}` : null,
  ];
  return parts.filter((p) => p !== null).join(', ');
}
