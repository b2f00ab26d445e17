/**
 * The alert engine's state on disk, under one key of the console's store. Open alerts, silences and the mute switch
 * survive a restart. A stored state that does not validate is kept under another key and reported, never dropped.
 */
import { z } from 'zod';
import { describeInputError } from '../dispatch';
import type { KeyValueStore } from '../store/store';
import { initialAlertState } from './alert-engine';
import { AlertEngineState } from './alert-schemas';

export const ALERTS_STORE_KEY = 'alerts';
export const DEFAULT_VOLUME_PCT = 70;

const StoredAlerts = z.object({
  version: z.literal(1),
  engine: AlertEngineState,
  volumePct: z.number().int().min(0).max(100),
});
export type StoredAlerts = z.infer<typeof StoredAlerts>;

export interface LoadedAlerts {
  stored: StoredAlerts;
  /** Why the stored state was not used, in words for the operator; null when it loaded (or there was none). */
  problem: string | null;
}

export function loadAlertState(store: KeyValueStore, nowMs: number): LoadedAlerts {
  const fresh: StoredAlerts = { version: 1, engine: initialAlertState(), volumePct: DEFAULT_VOLUME_PCT };
  const raw = store.get(ALERTS_STORE_KEY);
  if (raw === undefined) return { stored: fresh, problem: null };
  const parsed = StoredAlerts.safeParse(raw);
  if (parsed.success) return { stored: parsed.data, problem: null };
  const keptAs = `${ALERTS_STORE_KEY}.unreadable.${nowMs}`;
  store.set(keptAs, raw);
  return {
    stored: fresh,
    problem: `the stored alert state in ${store.path} could not be read (${describeInputError(parsed.error)}); it was kept as "${keptAs}" and alerts started empty — open alerts and silences from before are not shown`,
  };
}

export function saveAlertState(store: KeyValueStore, stored: StoredAlerts): void {
  store.set(ALERTS_STORE_KEY, stored);
}
