/**
 * The failure detector as a pure state machine: next(state, event, settings) → state. No timers here: the engine
 * feeds it heartbeats and clock ticks. Issue-level extensions (probe confirmation, isolation) add events, not timers.
 */
import type { HealthSettings, HealthState } from '../api';

export interface HostHealth {
  state: HealthState;
  since: number;
  lastHeartbeatAt: number | null;
}

export type HealthEvent =
  | { type: 'heartbeat'; at: number }
  | { type: 'tick'; now: number }
  /** The stream closed; heartbeats stop, so the clock does the rest. Kept as an event for the journal. */
  | { type: 'link-lost'; at: number };

export function initialHealth(now: number): HostHealth {
  return { state: 'unknown', since: now, lastHeartbeatAt: null };
}

export function nextHealth(h: HostHealth, event: HealthEvent, s: Pick<HealthSettings, 'suspectAfterMs' | 'downAfterMs'>): HostHealth {
  switch (event.type) {
    case 'heartbeat':
      if (h.state === 'ok') return { ...h, lastHeartbeatAt: event.at };
      return { state: 'ok', since: event.at, lastHeartbeatAt: event.at };
    case 'link-lost':
      return h;
    case 'tick': {
      // Silence is measured from the last heartbeat, or from when we started watching if there never was one.
      const silentMs = event.now - (h.lastHeartbeatAt ?? h.since);
      if (silentMs >= s.downAfterMs && h.state !== 'down') return { ...h, state: 'down', since: event.now };
      if (silentMs >= s.suspectAfterMs && h.state === 'ok') return { ...h, state: 'attention', since: event.now };
      return h;
    }
  }
}
