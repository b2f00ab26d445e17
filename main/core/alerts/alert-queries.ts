/** Read-only views of the engine state for the UIs (alert list, tray badge, wall banner). */
import { severityRank } from '../severity';
import type { Alert, AlertEngineState } from './alert-schemas';

/** Loud before quiet, firing before acknowledged, worst first, oldest first. */
export function openAlerts(state: AlertEngineState): Alert[] {
  return [...state.open].sort(
    (a, b) =>
      Number(a.suppressedBy !== null) - Number(b.suppressedBy !== null) ||
      Number(a.status !== 'firing') - Number(b.status !== 'firing') ||
      severityRank(b.severity) - severityRank(a.severity) ||
      a.firedAtMs - b.firedAtMs,
  );
}

export function openAlertByKey(state: AlertEngineState, key: string): Alert | undefined {
  return state.open.find((a) => a.key === key);
}

export function alertById(state: AlertEngineState, alertId: string): Alert | undefined {
  return state.open.find((a) => a.id === alertId) ?? state.history.findLast((a) => a.id === alertId);
}

/** The tray badge: open alerts nobody has acknowledged and nothing suppresses. */
export function unacknowledgedCount(state: AlertEngineState): number {
  return state.open.filter((a) => a.status === 'firing' && a.suppressedBy === null).length;
}

/** Alerts folded under a root-cause alert, for "sw-01 down (+12 hosts behind it)". */
export function foldedUnder(state: AlertEngineState, rootAlertId: string): Alert[] {
  return state.open.filter((a) => a.suppressedBy?.reason === 'parent' && a.suppressedBy.rootAlertId === rootAlertId);
}

/** Open and recently resolved alerts: the alert history the handover report is given. */
export function alertHistory(state: AlertEngineState): Alert[] {
  return [...state.history, ...state.open];
}
