/**
 * The failure detector as a pure state machine: next(state, event, settings) → { state, effects }. No timers and no
 * I/O: the engine feeds it heartbeats, clock ticks and probe results, and performs the probe effects it asks for.
 *
 * Two stages, as in seed 001: a host is suspected (`attention`) after a missed-heartbeat window; it is confirmed
 * `down` only after `confirmChecks` probe rounds `tAddMs` apart in which nobody reached its agent — not the console
 * and not the peers asked to probe it (SWIM-style indirect probes) — and only once it has been silent for the whole
 * window `suspectAfterMs + confirmChecks × tAddMs`. A pause shorter than that window can never fail a host over.
 * ICMP answers are evidence for the reason (host alive but agent hung, or host gone), not a veto.
 */
import type { HealthSettings, HealthState } from '../api';

export type ProbeOutcome = 'ok' | 'fail' | 'unavailable';

export interface ProbeRound {
  consoleApi: ProbeOutcome;
  consoleIcmp: ProbeOutcome;
  peers: { peerId: string; api: ProbeOutcome; icmp: ProbeOutcome }[];
}

export interface HostHealth {
  state: HealthState;
  since: number;
  lastHeartbeatAt: number | null;
  /** Consecutive probe rounds in which nobody reached the agent. */
  failedRounds: number;
  probeInFlight: boolean;
  nextProbeAt: number | null;
  /** Why the host is in its state, in words for the operator. */
  reason: string | null;
}

export type HealthEvent =
  | { type: 'heartbeat'; at: number }
  /** `isolated`: the console suspects its own network; `peersAvailable`: other hosts are heartbeating right now. */
  | { type: 'tick'; now: number; isolated: boolean; peersAvailable: boolean }
  /** A failed API check while the stream still looked alive (seed 001's t_main check). */
  | { type: 'api-check-failed'; at: number; error: string }
  | { type: 'probe-result'; at: number; round: ProbeRound; isolated: boolean; peersAvailable: boolean }
  /** The console was isolated and hears the fleet again: what it concluded meanwhile proves nothing, confirm anew. */
  | { type: 'reconfirm'; at: number };

export type HealthEffect = { type: 'probe' };

export type DetectorSettings = Pick<HealthSettings, 'suspectAfterMs' | 'tAddMs' | 'confirmChecks'>;

export function initialHealth(now: number): HostHealth {
  return { state: 'unknown', since: now, lastHeartbeatAt: null, failedRounds: 0, probeInFlight: false, nextProbeAt: null, reason: null };
}

/** Silence after which a host may be declared down: the whole confirmation window. */
export function confirmationWindowMs(s: DetectorSettings): number {
  return s.suspectAfterMs + s.confirmChecks * s.tAddMs;
}

const none: HealthEffect[] = [];

export function nextHealth(h: HostHealth, event: HealthEvent, s: DetectorSettings): { health: HostHealth; effects: HealthEffect[] } {
  switch (event.type) {
    case 'heartbeat': {
      const health: HostHealth = { ...h, lastHeartbeatAt: event.at, failedRounds: 0, nextProbeAt: null, reason: null };
      if (h.state !== 'ok') Object.assign(health, { state: 'ok', since: event.at });
      return { health, effects: none };
    }
    case 'api-check-failed': {
      if (h.state !== 'ok') return { health: h, effects: none };
      return suspect(h, event.at, `API check failed: ${event.error}`, s);
    }
    case 'tick': {
      const silentMs = event.now - (h.lastHeartbeatAt ?? h.since);
      if (h.state === 'ok' && silentMs >= s.suspectAfterMs) return suspect(h, event.now, `no heartbeat for ${Math.round(silentMs)} ms`, s);
      if (h.state === 'unknown' && silentMs >= s.suspectAfterMs && !h.probeInFlight && h.nextProbeAt === null) {
        // Never heard from since we started watching: probe it like a suspect so it can be confirmed down.
        return suspect(h, event.now, 'never heard from', s);
      }
      const confirmed = maybeDown(h, event.now, event.isolated, s);
      if (confirmed !== h) return { health: confirmed, effects: none };
      if ((h.state === 'attention' || h.state === 'unknown') && !h.probeInFlight && h.nextProbeAt !== null && event.now >= h.nextProbeAt) {
        return { health: { ...h, probeInFlight: true, nextProbeAt: event.now + s.tAddMs }, effects: [{ type: 'probe' }] };
      }
      return { health: h, effects: none };
    }
    case 'reconfirm': {
      if (h.state === 'ok' || h.state === 'down') return { health: h, effects: none };
      return { health: { ...h, failedRounds: 0, nextProbeAt: h.probeInFlight ? h.nextProbeAt : event.at }, effects: none };
    }
    case 'probe-result': {
      if (!h.probeInFlight) return { health: h, effects: none };
      const verdict = judgeRound(event.round, event.peersAvailable);
      const failedRounds = verdict.reached ? 0 : h.failedRounds + 1;
      const next: HostHealth = { ...h, probeInFlight: false, failedRounds, reason: verdict.reason };
      return { health: maybeDown(next, event.at, event.isolated, s), effects: none };
    }
  }
}

/** Down once enough rounds failed and the host has been silent for the whole confirmation window — unless isolated. */
function maybeDown(h: HostHealth, now: number, isolated: boolean, s: DetectorSettings): HostHealth {
  if (h.state === 'down' || h.state === 'ok' || h.failedRounds < s.confirmChecks) return h;
  const silentMs = now - (h.lastHeartbeatAt ?? h.since);
  if (silentMs < confirmationWindowMs(s)) return h;
  if (isolated) {
    const note = 'not declared down: the console itself looks isolated';
    return h.reason?.endsWith(note) ? h : { ...h, reason: `${h.reason ?? 'silent'}; ${note}` };
  }
  return { ...h, state: 'down', since: now };
}

function suspect(h: HostHealth, at: number, reason: string, s: DetectorSettings): { health: HostHealth; effects: HealthEffect[] } {
  const state = h.state === 'unknown' ? 'unknown' : 'attention';
  return {
    health: { ...h, state, since: state === 'unknown' ? h.since : at, failedRounds: 0, probeInFlight: true, nextProbeAt: at + s.tAddMs, reason },
    effects: [{ type: 'probe' }],
  };
}

/** Did anyone reach the agent this round? And in words: what each vantage point saw. */
export function judgeRound(round: ProbeRound, peersAvailable: boolean): { reached: boolean; reason: string } {
  const peerApis = round.peers.filter((p) => p.api !== 'unavailable');
  const reachedBy = [round.consoleApi === 'ok' ? 'the console' : null, ...peerApis.filter((p) => p.api === 'ok').map((p) => p.peerId)].filter(Boolean);
  if (reachedBy.length > 0) {
    return { reached: true, reason: `agent reachable from ${reachedBy.join(', ')}; heartbeats missing` };
  }
  if (peersAvailable && peerApis.length === 0) {
    // Other hosts are alive but none could vouch: without a second vantage point this round proves nothing.
    return { reached: true, reason: 'agent silent to the console; no peer could probe it yet' };
  }
  const pinged = round.consoleIcmp === 'ok' || round.peers.some((p) => p.icmp === 'ok');
  const vantage = peerApis.length > 0 ? `the console and ${peerApis.map((p) => p.peerId).join(', ')}` : 'the console';
  return {
    reached: false,
    reason: pinged ? `agent silent to ${vantage}; the host answers ping (service hung)` : `agent silent to ${vantage}; the host does not answer ping`,
  };
}

export interface FleetSilence {
  monitored: number;
  silent: number;
}

/**
 * The console suspects its own network when most of the fleet goes silent at once: more than half of at least four
 * monitored hosts, or every one of two or more. Then it fails nothing over.
 */
export function consoleIsolated({ monitored, silent }: FleetSilence): boolean {
  if (monitored >= 2 && silent === monitored) return true;
  return monitored >= 4 && silent * 2 > monitored;
}
