/**
 * The switch as a pure state machine: observeSwitch(track, observation) → {track, events}. An observation is one
 * SNMP poll plus one ping, already performed by the shell (switch-monitor.ts). Here: the switch state, restart
 * detection, port rates with wrap/reset handling, and port up/down events.
 */
import { counterRatePerSec } from './counter-rate';
import type { IcmpResult } from './icmp-check';
import type { CounterValue, InterfaceSample } from './if-mib';
import { detectRestart } from './reboot-detector';
import type { SnmpPoll } from './snmp-poller';
import type { SwitchSpec } from './switch-spec';
import type { PortView, SwitchEvent, SwitchState, SwitchView } from './switch-view';

export interface SwitchObservation {
  atMs: number;
  snmp: SnmpPoll;
  /** null when ping is switched off for this switch. */
  icmp: IcmpResult | null;
}

export interface SwitchTrack {
  view: SwitchView;
  /** The last SNMP answer, for rates and restart detection. */
  last: { atMs: number; sysUpTimeCs: number | null; interfaces: InterfaceSample[] } | null;
}

export function initialSwitchTrack(spec: Pick<SwitchSpec, 'id' | 'name' | 'address'>, nowMs: number): SwitchTrack {
  return {
    view: {
      id: spec.id,
      name: spec.name,
      address: spec.address,
      state: 'unknown',
      stateSince: nowMs,
      error: null,
      sysName: null,
      uptimeSec: null,
      lastRestartAt: null,
      polledAt: null,
      rttMs: null,
      ports: [],
    },
    last: null,
  };
}

/** What the two probes say together. */
export function classifySwitch(snmp: SnmpPoll, icmp: IcmpResult | null): { state: SwitchState; error: string | null } {
  if (snmp.ok) return { state: 'up', error: null };
  const { kind, message } = snmp.failure;
  if (icmp?.kind === 'dead') return { state: 'unreachable', error: `no answer to SNMP or ping (${message})` };
  if (kind === 'error') return { state: 'error', error: message };
  if (icmp?.kind === 'alive') {
    return { state: 'snmp-silent', error: `answers ping but not SNMP: check the community, the switch's SNMP access list, or its SNMP agent (${message})` };
  }
  const why = icmp ? `ping could not tell (${icmp.message})` : 'ping is off';
  return { state: 'unreachable', error: `no answer to SNMP; ${why}, so a wrong community cannot be told from a dead switch (${message})` };
}

export function observeSwitch(track: SwitchTrack, obs: SwitchObservation): { track: SwitchTrack; events: SwitchEvent[] } {
  const events: SwitchEvent[] = [];
  const { view } = track;
  const { state, error } = classifySwitch(obs.snmp, obs.icmp);
  const next: SwitchView = {
    ...view,
    state,
    error,
    stateSince: state === view.state ? view.stateSince : obs.atMs,
    rttMs: obs.icmp?.kind === 'alive' ? obs.icmp.rttMs : null,
  };
  if (state !== view.state) {
    events.push({ type: 'switch.state', switchId: view.id, from: view.state, to: state, message: `${view.name}: ${stateMessage(state, error)}` });
  }
  if (!obs.snmp.ok) {
    // Last known port states stay (the UI greys them by the switch state); no fresh rates exist.
    next.ports = view.ports.map((p) => ({ ...p, inBps: null, outBps: null, inErrorsPerSec: null, outErrorsPerSec: null, inDiscardsPerSec: null, outDiscardsPerSec: null }));
    return { track: { view: next, last: track.last }, events };
  }

  const { system, interfaces } = obs.snmp;
  let previous = track.last;
  if (previous && previous.sysUpTimeCs !== null && system.sysUpTimeCs !== null) {
    const verdict = detectRestart({ atMs: previous.atMs, sysUpTimeCs: previous.sysUpTimeCs }, { atMs: obs.atMs, sysUpTimeCs: system.sysUpTimeCs });
    if (verdict.restarted) {
      next.lastRestartAt = obs.atMs;
      events.push({
        type: 'switch.restarted',
        switchId: view.id,
        bootAt: verdict.bootAtMs,
        message: `${view.name} restarted (SNMP uptime ${formatUptime(system.sysUpTimeCs)}); its counters start over`,
      });
      previous = null;
    }
  }
  const elapsedMs = previous ? obs.atMs - previous.atMs : 0;
  const before = new Map((previous?.interfaces ?? []).map((i) => [i.ifIndex, i]));
  const oldViews = new Map(view.ports.map((p) => [p.ifIndex, p]));
  next.ports = interfaces.map((iface) => {
    const old = oldViews.get(iface.ifIndex);
    if (old && old.oper !== iface.oper) {
      const label = iface.name ?? iface.descr ?? `ifIndex ${iface.ifIndex}`;
      events.push({
        type: 'switch.port',
        switchId: view.id,
        ifIndex: iface.ifIndex,
        from: old.oper,
        to: iface.oper,
        message: `${view.name} port ${label} is ${iface.oper} (was ${old.oper})`,
      });
    }
    const operChangedAt = old && old.oper !== iface.oper ? obs.atMs : (old?.operChangedAt ?? null);
    return portView(iface, before.get(iface.ifIndex), elapsedMs, operChangedAt);
  });
  next.sysName = system.sysName;
  next.uptimeSec = system.sysUpTimeCs === null ? null : Math.floor(system.sysUpTimeCs / 100);
  next.polledAt = obs.atMs;
  return { track: { view: next, last: { atMs: obs.atMs, sysUpTimeCs: system.sysUpTimeCs, interfaces } }, events };
}

function portView(iface: InterfaceSample, prev: InterfaceSample | undefined, elapsedMs: number, operChangedAt: number | null): PortView {
  const maxBytesPerSec = iface.speedBps === null ? null : iface.speedBps / 8;
  const rate = (pick: (i: InterfaceSample) => CounterValue | null, max: number | null = null) =>
    prev ? counterRatePerSec(pick(prev), pick(iface), elapsedMs, max) : null;
  const bits = (bytesPerSec: number | null) => (bytesPerSec === null ? null : Math.round(bytesPerSec * 8));
  return {
    ifIndex: iface.ifIndex,
    name: iface.name,
    descr: iface.descr,
    alias: iface.alias,
    speedBps: iface.speedBps,
    admin: iface.admin,
    oper: iface.oper,
    operChangedAt,
    inBps: bits(rate((i) => i.inOctets, maxBytesPerSec)),
    outBps: bits(rate((i) => i.outOctets, maxBytesPerSec)),
    inErrorsPerSec: rate((i) => i.inErrors),
    outErrorsPerSec: rate((i) => i.outErrors),
    inDiscardsPerSec: rate((i) => i.inDiscards),
    outDiscardsPerSec: rate((i) => i.outDiscards),
  };
}

function stateMessage(state: SwitchState, error: string | null): string {
  if (state === 'up') return 'SNMP answers';
  return `${state}${error ? `: ${error}` : ''}`;
}

export function formatUptime(centiseconds: number): string {
  const sec = Math.floor(centiseconds / 100);
  const d = Math.floor(sec / 86_400);
  const h = Math.floor((sec % 86_400) / 3600);
  const m = Math.floor((sec % 3600) / 60);
  return d > 0 ? `${d}d ${h}h ${m}m` : h > 0 ? `${h}h ${m}m` : `${m}m ${sec % 60}s`;
}
