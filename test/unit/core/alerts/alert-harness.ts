/** Drives the pure alert engine with a fake clock and keeps what it said, so tests read as event tables. */
import { initialAlertState, next } from '../../../../main/core/alerts/alert-engine';
import { alertById, openAlertByKey } from '../../../../main/core/alerts/alert-queries';
import {
  type Alert,
  type AlertEffect,
  type AlertEngineState,
  type AlertEvent,
  AlertSettings,
} from '../../../../main/core/alerts/alert-schemas';
import { FakeClock } from '../../../../main/core/clock';
import type { Severity } from '../../../../main/core/severity';

export class AlertHarness {
  readonly clock = new FakeClock();
  state: AlertEngineState;
  /** Every effect since the harness was made, in order. */
  readonly log: AlertEffect[] = [];

  constructor(settings: Partial<AlertSettings> = {}) {
    this.state = initialAlertState(AlertSettings.parse(settings));
  }

  send(event: AlertEvent): AlertEffect[] {
    const step = next(this.state, event, this.clock.now());
    this.state = step.state;
    this.log.push(...step.effects);
    return step.effects;
  }

  /** Moves the clock on and lets the engine see it, as the console's one-second tick does. */
  wait(ms: number): AlertEffect[] {
    this.clock.advance(ms);
    return this.send({ type: 'tick' });
  }

  raise(key: string, severity: Severity = 'critical', extra: Partial<Extract<AlertEvent, { type: 'raise' }>> = {}): AlertEffect[] {
    return this.send({ type: 'raise', key, kind: 'test', severity, hostId: null, summary: `${key} is bad`, ...extra });
  }

  clear(key: string): AlertEffect[] {
    return this.send({ type: 'clear', key });
  }

  ack(key: string, operator = 'alice', comment = 'on it'): AlertEffect[] {
    return this.send({ type: 'ack', alertId: this.open(key).id, operator, comment });
  }

  open(key: string): Alert {
    const alert = this.find(key);
    if (!alert) throw new Error(`no open alert for ${key}`);
    return alert;
  }

  /** The open alert for a key, if any. */
  find(key: string): Alert | undefined {
    return openAlertByKey(this.state, key);
  }

  /** Every alert the engine ever created for a key, open or resolved. */
  alertsOf(key: string): Alert[] {
    const ids = new Set<string>();
    for (const e of this.log) if (e.type === 'journal' && e.entry.kind === 'alert.fired' && e.entry.data['key'] === key) ids.add(String(e.entry.data['alertId']));
    return [...ids].map((id) => alertById(this.state, id)!);
  }
}

export const ofType = <T extends AlertEffect['type']>(effects: AlertEffect[], type: T) =>
  effects.filter((e): e is Extract<AlertEffect, { type: T }> => e.type === type);

export const journalKinds = (effects: AlertEffect[]): string[] => ofType(effects, 'journal').map((e) => e.entry.kind);

export const notifiedIds = (effects: AlertEffect[]): string[] => ofType(effects, 'notify').map((e) => e.alertId);

/** The last sound effect, or undefined if the sound did not change. */
export const soundChange = (effects: AlertEffect[]): boolean | undefined => ofType(effects, 'sound').at(-1)?.on;
