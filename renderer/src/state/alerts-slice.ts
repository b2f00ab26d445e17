/**
 * The alerts part of the renderer's engine state: open alerts, a bounded tail of resolved ones, silences and the
 * wall's alarm. Loaded with the rest of the store, then kept current by alerts.changed / silences.changed /
 * alarm.changed. Types come from the contract's own outputs.
 */
import { type QueryOutput, Severity, type TallyEvent, type Transport } from '../../../main/core/api';

export type AlertList = QueryOutput<'alerts.list'>;
export type Alert = AlertList['open'][number];
export type Silence = AlertList['silences'][number];
export type AlarmState = QueryOutput<'alarm.get'>;

const RESOLVED_LIMIT = 100;

export interface AlertsSnapshot {
  loaded: boolean;
  /** Loud before quiet, firing before acknowledged, worst first, oldest first (the engine's order). */
  open: Alert[];
  /** Newest first, at most RESOLVED_LIMIT. */
  resolved: Alert[];
  silences: Silence[];
  alarm: AlarmState | null;
  unacknowledged: number;
  stateProblem: string | null;
}

export function severityRank(severity: Alert['severity']): number {
  return Severity.options.length - 1 - Severity.options.indexOf(severity);
}

export function isLoud(alert: Alert): boolean {
  return alert.status === 'firing' && alert.suppressedBy === null;
}

function byUrgency(a: Alert, b: Alert): number {
  return (
    Number(a.suppressedBy !== null) - Number(b.suppressedBy !== null) ||
    Number(a.status !== 'firing') - Number(b.status !== 'firing') ||
    severityRank(b.severity) - severityRank(a.severity) ||
    a.firedAtMs - b.firedAtMs
  );
}

export class AlertsSlice {
  private open = new Map<string, Alert>();
  private resolved: Alert[] = [];
  private silences: Silence[] = [];
  private alarm: AlarmState | null = null;
  private unacknowledged = 0;
  private stateProblem: string | null = null;
  private loaded = false;
  private cached: AlertsSnapshot | null = null;

  async load(transport: Transport): Promise<void> {
    const [list, alarm] = await Promise.all([transport.query('alerts.list', { resolvedLimit: RESOLVED_LIMIT }), transport.query('alarm.get', {})]);
    this.open = new Map(list.open.map((a) => [a.id, a]));
    this.resolved = list.resolved;
    this.silences = list.silences;
    this.unacknowledged = list.unacknowledged;
    this.stateProblem = list.stateProblem;
    this.alarm = alarm;
    this.loaded = true;
    this.cached = null;
  }

  /** Applies an alert event; false when the event is not about alerts. */
  apply(event: TallyEvent): boolean {
    switch (event.type) {
      case 'alerts.changed':
        for (const alert of event.payload.alerts) this.put(alert);
        this.unacknowledged = event.payload.unacknowledged;
        break;
      case 'silences.changed':
        this.silences = event.payload.silences;
        break;
      case 'alarm.changed':
        this.alarm = event.payload;
        break;
      default:
        return false;
    }
    this.cached = null;
    return true;
  }

  snapshot(): AlertsSnapshot {
    this.cached ??= {
      loaded: this.loaded,
      open: [...this.open.values()].sort(byUrgency),
      resolved: this.resolved,
      silences: this.silences,
      alarm: this.alarm,
      unacknowledged: this.unacknowledged,
      stateProblem: this.stateProblem,
    };
    return this.cached;
  }

  private put(alert: Alert): void {
    if (alert.status !== 'resolved') {
      this.open.set(alert.id, alert);
      return;
    }
    this.open.delete(alert.id);
    this.resolved = [alert, ...this.resolved.filter((a) => a.id !== alert.id)].slice(0, RESOLVED_LIMIT);
  }
}
