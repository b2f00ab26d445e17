/**
 * The shell around switch-tracker.ts: every `pollMs` it polls SNMP and pings (in parallel), feeds the observation to
 * the pure tracker and hands the view and events to the listener. Polls never overlap; a poll that fails is a state
 * of the switch, and a socket error net-snmp raises is logged, never thrown.
 */
import type { Clock } from '../clock';
import { type IcmpResult, type PingProbe, pingOnce, systemPing } from './icmp-check';
import { connectSnmp, type SnmpConnector } from './snmp-client';
import { pollSnmp } from './snmp-poller';
import type { SwitchSpec } from './switch-spec';
import { initialSwitchTrack, observeSwitch, type SwitchTrack } from './switch-tracker';
import type { SwitchEvent, SwitchView } from './switch-view';

export interface SwitchMonitorDeps {
  clock: Clock;
  connect?: SnmpConnector;
  ping?: PingProbe;
  onUpdate(view: SwitchView, events: SwitchEvent[]): void;
  log?: (level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => void;
}

export interface SwitchMonitor {
  readonly id: string;
  view(): SwitchView;
  start(): void;
  stop(): void;
  /** Polls now (no overlap with a poll under way) and resolves with the new view. */
  pollNow(): Promise<SwitchView>;
}

export function createSwitchMonitor(spec: SwitchSpec, deps: SwitchMonitorDeps): SwitchMonitor {
  const connect = deps.connect ?? connectSnmp;
  const probe = deps.ping ?? systemPing;
  const log = deps.log ?? (() => {});
  let track: SwitchTrack = initialSwitchTrack(spec, deps.clock.now());
  let timer: { cancel(): void } | null = null;
  let inFlight: Promise<SwitchView> | null = null;
  let running = false;

  async function poll(): Promise<SwitchView> {
    const client = connect(
      { address: spec.address, port: spec.snmpPort, community: spec.community, timeoutMs: spec.timeoutMs, retries: spec.retries },
      (err) => log('warn', 'SNMP socket error', { switchId: spec.id, error: err.message }),
    );
    const icmp: Promise<IcmpResult | null> = spec.icmp ? pingOnce(spec.address, spec.timeoutMs, probe) : Promise.resolve(null);
    const [snmp, ping] = await Promise.all([pollSnmp(client), icmp]);
    const step = observeSwitch(track, { atMs: deps.clock.now(), snmp, icmp: ping });
    track = step.track;
    for (const event of step.events) log(event.type === 'switch.port' ? 'info' : 'warn', event.message, { switchId: spec.id });
    deps.onUpdate(track.view, step.events);
    return track.view;
  }

  function pollNow(): Promise<SwitchView> {
    inFlight ??= poll().finally(() => {
      inFlight = null;
    });
    return inFlight;
  }

  function schedule(): void {
    if (!running) return;
    timer = deps.clock.setTimeout(() => {
      timer = null;
      pollNow().then(schedule, (err: Error) => {
        log('error', 'switch poll failed unexpectedly', { switchId: spec.id, error: err.message });
        schedule();
      });
    }, spec.pollMs);
  }

  return {
    id: spec.id,
    view: () => track.view,
    pollNow,
    start() {
      if (running) return;
      running = true;
      pollNow().then(schedule, (err: Error) => {
        log('error', 'switch poll failed unexpectedly', { switchId: spec.id, error: err.message });
        schedule();
      });
    },
    stop() {
      running = false;
      timer?.cancel();
      timer = null;
    },
  };
}
