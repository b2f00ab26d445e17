/**
 * The origins and network part of the renderer's engine state: the stream × origin matrix, the switches with their
 * uplinks and advisories, the findings, and a bounded traffic history per switch port (seeded from switch.traffic at
 * load, then one point per poll from network.changed). Types come from the contract's own outputs.
 */
import type { QueryOutput, TallyEvent, Transport } from '../../../main/core/api';

export type OriginsOverview = QueryOutput<'origins.overview'>;
export type OriginColumn = OriginsOverview['matrix']['origins'][number];
export type StreamRow = OriginsOverview['matrix']['streams'][number];
export type NetworkOverview = QueryOutput<'network.overview'>;
export type SwitchInfo = NetworkOverview['switches'][number];
export type PortView = SwitchInfo['view']['ports'][number];
export type UplinkView = SwitchInfo['uplinks'][number];
export type Finding = QueryOutput<'findings.list'>[number];
/** [time ms, in bits/s, out bits/s] */
export type TrafficPoint = [number, number, number];

/** Points kept per port: 20 minutes at the default 5 s poll. */
export const TRAFFIC_POINTS = 240;
const MAX_PORTS_PER_SWITCH = 256;

export interface NetworkSnapshot {
  loaded: boolean;
  origins: OriginsOverview | null;
  network: NetworkOverview | null;
  findings: Finding[];
  /** switch id → ifIndex → points, oldest first. */
  traffic: ReadonlyMap<string, ReadonlyMap<number, readonly TrafficPoint[]>>;
}

export class NetworkSlice {
  private origins: OriginsOverview | null = null;
  private network: NetworkOverview | null = null;
  private findings: Finding[] = [];
  private traffic = new Map<string, Map<number, TrafficPoint[]>>();
  private loaded = false;
  private cached: NetworkSnapshot | null = null;

  async load(transport: Transport): Promise<void> {
    const [origins, network, findings] = await Promise.all([
      transport.query('origins.overview', {}),
      transport.query('network.overview', {}),
      transport.query('findings.list', {}),
    ]);
    const histories = await Promise.all(network.switches.map((s) => transport.query('switch.traffic', { switchId: s.id, maxPoints: TRAFFIC_POINTS })));
    this.traffic = new Map(histories.map((h) => [h.switchId, new Map(h.ports.map((p) => [p.ifIndex, p.points]))]));
    this.origins = origins;
    this.setNetwork(network);
    this.findings = findings;
    this.loaded = true;
    this.cached = null;
  }

  /** Applies an origins, network or findings event; false when the event is about something else. */
  apply(event: TallyEvent): boolean {
    switch (event.type) {
      case 'origins.changed':
        this.origins = event.payload;
        break;
      case 'network.changed':
        this.setNetwork(event.payload);
        break;
      case 'findings.changed':
        this.findings = event.payload.findings;
        break;
      default:
        return false;
    }
    this.cached = null;
    return true;
  }

  snapshot(): NetworkSnapshot {
    this.cached ??= { loaded: this.loaded, origins: this.origins, network: this.network, findings: this.findings, traffic: new Map(this.traffic) };
    return this.cached;
  }

  private setNetwork(network: NetworkOverview): void {
    this.network = network;
    const present = new Set(network.switches.map((s) => s.id));
    for (const id of this.traffic.keys()) if (!present.has(id)) this.traffic.delete(id);
    for (const sw of network.switches) this.record(sw);
  }

  private record(sw: SwitchInfo): void {
    const at = sw.view.polledAt;
    if (at === null) return;
    let ports = this.traffic.get(sw.id);
    if (!ports) this.traffic.set(sw.id, (ports = new Map()));
    for (const port of sw.view.ports) {
      if (port.inBps === null || port.outBps === null) continue;
      let points = ports.get(port.ifIndex);
      if (!points) {
        if (ports.size >= MAX_PORTS_PER_SWITCH) continue;
        ports.set(port.ifIndex, (points = []));
      }
      if ((points.at(-1)?.[0] ?? -1) >= at) continue;
      // A new array, so a React component holding the old one sees the change.
      const next: TrafficPoint[] = [...points, [at, port.inBps, port.outBps]];
      ports.set(port.ifIndex, next.length > TRAFFIC_POINTS ? next.slice(-TRAFFIC_POINTS) : next);
    }
  }
}
