/** The wall's alarm rule: it sounds while any unacknowledged, unsuppressed alert of a sounding severity is firing, unless muted. */
import type { AlertEngineState } from './alert-schemas';

export function alarmingAlertIds(state: AlertEngineState): string[] {
  return state.open
    .filter((a) => a.status === 'firing' && a.suppressedBy === null && state.settings.soundSeverities.includes(a.severity))
    .sort((a, b) => a.firedAtMs - b.firedAtMs)
    .map((a) => a.id);
}

export function soundShouldBeOn(state: AlertEngineState): boolean {
  return !state.muted && alarmingAlertIds(state).length > 0;
}
