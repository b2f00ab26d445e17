/**
 * The shell around the pure alert engine: holds its state, feeds it one event at a time, and performs the effects
 * (journal, notify, sound, publish) — then saves the state, debounced, through the console's store.
 */
import type { TallyEvent } from '../api';
import type { Clock } from '../clock';
import type { LogFn } from '../engine-context';
import type { Journal } from '../journal/journal';
import type { KeyValueStore } from '../store/store';
import { next } from './alert-engine';
import { alertById, openAlerts, unacknowledgedCount } from './alert-queries';
import type { Alert, AlertEffect, AlertEngineState, AlertEvent } from './alert-schemas';
import { alarmingAlertIds } from './alert-sound';
import { loadAlertState, saveAlertState, type StoredAlerts } from './alert-state-store';
import type { AlarmState, AlertList } from './alerts-contract';

const SAVE_DEBOUNCE_MS = 1000;

export interface AlertRunnerDeps {
  clock: Clock;
  journal: Journal;
  store: KeyValueStore;
  emit(event: TallyEvent): void;
  log: LogFn;
}

export class AlertRunner {
  private state: AlertEngineState;
  private volumePct: number;
  private saveTimer: { cancel(): void } | null = null;
  private saveFailing = false;
  /** Why the stored state could not be used at start, or null. */
  readonly stateProblem: string | null;

  constructor(private readonly deps: AlertRunnerDeps) {
    const { stored, problem } = loadAlertState(deps.store, deps.clock.now());
    this.state = stored.engine;
    this.volumePct = stored.volumePct;
    this.stateProblem = problem;
    if (problem) {
      deps.log('error', problem);
      deps.journal.append({ kind: 'alerts.state-unreadable', severity: 'major', message: problem });
    }
  }

  get engineState(): AlertEngineState {
    return this.state;
  }

  /** Feeds one event and performs its effects; returns the refusal reason, or null when it was applied. */
  send(event: AlertEvent): string | null {
    const step = next(this.state, event, this.deps.clock.now());
    const refused = step.effects.find((e): e is Extract<AlertEffect, { type: 'refused' }> => e.type === 'refused');
    if (refused) return refused.reason;
    const mutedBefore = this.state.muted;
    this.state = step.state;
    for (const effect of step.effects) this.perform(effect);
    if (this.state.muted !== mutedBefore && !step.effects.some((e) => e.type === 'sound')) this.publishAlarm();
    // A tick that changed nothing visible (only flapping memory) is saved with the next real change.
    if (event.type !== 'tick' || step.effects.length > 0) this.scheduleSave();
    return null;
  }

  setVolume(volumePct: number): void {
    this.volumePct = volumePct;
    this.publishAlarm();
    this.scheduleSave();
  }

  alarm(): AlarmState {
    return { sounding: this.state.soundOn, muted: this.state.muted, volumePct: this.volumePct, alertIds: alarmingAlertIds(this.state) };
  }

  list(resolvedLimit: number): AlertList {
    return {
      open: openAlerts(this.state),
      resolved: resolvedLimit > 0 ? this.state.history.slice(-resolvedLimit).reverse() : [],
      silences: [...this.state.silences],
      unacknowledged: unacknowledgedCount(this.state),
      stateProblem: this.stateProblem,
    };
  }

  alert(id: string): Alert | undefined {
    return alertById(this.state, id);
  }

  /** Writes the state now (at stop): a debounced save must not be lost. */
  flush(): void {
    this.saveTimer?.cancel();
    this.saveTimer = null;
    this.save();
  }

  private perform(effect: AlertEffect): void {
    const { emit, journal } = this.deps;
    switch (effect.type) {
      case 'journal':
        journal.append(effect.entry);
        return;
      case 'notify':
        emit({ type: 'alert.notify', payload: { alertId: effect.alertId, severity: effect.severity, hostId: effect.hostId, title: effect.title, body: effect.body } });
        return;
      case 'sound':
        this.publishAlarm();
        return;
      case 'changed': {
        const alerts = effect.alertIds.map((id) => alertById(this.state, id)).filter((a): a is Alert => a !== undefined);
        if (alerts.length > 0) emit({ type: 'alerts.changed', payload: { alerts, unacknowledged: unacknowledgedCount(this.state) } });
        if (effect.silences) emit({ type: 'silences.changed', payload: { silences: [...this.state.silences] } });
        return;
      }
      case 'refused':
        return;
    }
  }

  private publishAlarm(): void {
    this.deps.emit({ type: 'alarm.changed', payload: this.alarm() });
  }

  private scheduleSave(): void {
    if (this.saveTimer) return;
    this.saveTimer = this.deps.clock.setTimeout(() => {
      this.saveTimer = null;
      this.save();
    }, SAVE_DEBOUNCE_MS);
  }

  private save(): void {
    const stored: StoredAlerts = { version: 1, engine: this.state, volumePct: this.volumePct };
    try {
      saveAlertState(this.deps.store, stored);
      if (this.saveFailing) this.deps.journal.append({ kind: 'alerts.state-saved', severity: 'info', message: 'the alert state is being saved again' });
      this.saveFailing = false;
    } catch (err) {
      const message = `could not save the alert state to ${this.deps.store.path}: ${(err as Error).message}; alerts keep working, a restart would lose the changes since`;
      this.deps.log('error', message);
      // Journalled once per failure streak, not once a second.
      if (!this.saveFailing) this.deps.journal.append({ kind: 'alerts.state-save-failed', severity: 'major', message });
      this.saveFailing = true;
    }
  }
}
