/**
 * The network module: the switch inventory (saved under `network.switches` / `network.uplinks`), one SNMP+ICMP
 * monitor per switch, switch events in the journal, per-port traffic history, and after every poll or health change
 * the dependency tree — hosts whose every uplink is down are `unreachable` on their HostView, with one root-cause
 * finding on the switch — plus the single-point-of-failure advisories. Findings go to the findings board.
 */
import type { CallContext } from '../api';
import type { EngineContext, EngineModule } from '../engine-context';
import type { Finding } from '../findings/finding';
import type { FindingsModule } from '../findings/findings-module';
import type { HostRuntime } from '../fleet/fleet-monitor';
import type { OriginMatrix } from '../origins/matrix-view';
import { streamOriginGroups } from '../origins/stream-origin-groups';
import { alertParents, type DependencyVerdict, dependencyTree, uplinkStatus } from './dependency-tree';
import type { PingProbe } from './icmp-check';
import { findInterface } from './if-mib';
import type { NetworkCommandName, NetworkOverview, NetworkQueryName, SwitchInfo, UplinkView } from './network-contract';
import { buildNetworkOverview, hostNetworkOf, switchInfo } from './network-overview';
import { PortTrafficStore } from './port-traffic';
import type { SnmpConnector } from './snmp-client';
import { mainReserveGroups, type RedundancyGroup, spofFindings } from './spof-advisor';
import { SwitchInventory } from './switch-inventory';
import { switchJournalEntry } from './switch-journal';
import { createSwitchMonitor, type SwitchMonitor } from './switch-monitor';
import type { HostUplink, SwitchSpec } from './switch-spec';
import { initialSwitchTrack } from './switch-tracker';
import type { SwitchEvent, SwitchView } from './switch-view';

const TICK_MS = 1000;
/** Findings wait for every switch to answer (or fail) once, or this long, so a restart does not clear and re-raise them. */
export const NETWORK_FINDINGS_WARMUP_MS = 15_000;

export interface NetworkModuleDeps {
  findings: Pick<FindingsModule, 'publish' | 'publishTopology'>;
  /** The stream × origin matrix: the origins of one stream are a redundancy group. */
  originMatrix: () => OriginMatrix;
  /** SNMP and ping as the real ones by default; tests pass their own. */
  connect?: SnmpConnector;
  ping?: PingProbe;
}

export interface NetworkModule extends EngineModule<NetworkQueryName, NetworkCommandName> {
  /**
   * For the failover runner: true when the health detector has lost the host and every uplink of it is down as the
   * switches were last polled — the host is cut off, not dead, and must not be failed over on that evidence alone.
   */
  isUnreachable(hostId: string): boolean;
  /** isUnreachable after polling the host's switches now (waits at most one SNMP timeout × tries per switch). */
  confirmUnreachable(hostId: string): Promise<boolean>;
  /** More redundancy groups for the advisories (the archive replicas, later). */
  addRedundancyGroups(source: () => readonly RedundancyGroup[]): void;
  overview(): NetworkOverview;
  /** Recomputes the tree, the findings and the host verdicts now (also done after every poll and health change). */
  refresh(): void;
}

const lost = (rt: HostRuntime) => rt.health.state === 'attention' || rt.health.state === 'down';

export function createNetworkModule(ctx: EngineContext, deps: NetworkModuleDeps): NetworkModule {
  const { fleet, clock, journal, inventory } = ctx;
  const inv = new SwitchInventory(ctx.store);
  const storeProblem = inv.problems.length > 0 ? inv.problems.join('; ') : null;
  if (storeProblem) {
    ctx.log('error', storeProblem);
    journal.append({ kind: 'network.store-invalid', severity: 'major', message: storeProblem });
  }
  const monitors = new Map<string, SwitchMonitor>();
  const views = new Map<string, SwitchView>(inv.list().map((s) => [s.id, initialSwitchTrack(s, clock.now()).view]));
  const traffic = new PortTrafficStore();
  const groupSources: (() => readonly RedundancyGroup[])[] = [
    () => mainReserveGroups(inventory.list()),
    () => streamOriginGroups(deps.originMatrix()),
  ];
  let overview: NetworkOverview = { switches: [], hosts: [], advisories: [], storeProblem };
  let lastSent = '';
  let lastSignature = '';
  let dirty = true;
  let started = false;
  let startedAt = clock.now();
  let findingsLive = false;
  let timer: { cancel(): void } | null = null;
  const offs: (() => void)[] = [];

  const hostName = (id: string) => inventory.get(id)?.name ?? id;
  const switchName = (id: string) => views.get(id)?.name ?? id;
  const actor = (call: CallContext) => call.operator ?? 'an operator';

  function hostsOnPort(switchId: string, ifIndex: number): string[] {
    const view = views.get(switchId);
    if (!view) return [];
    return inv
      .uplinks()
      .filter((u) => u.switchId === switchId && findInterface(view.ports, u.port)?.ifIndex === ifIndex)
      .map((u) => hostName(u.hostId));
  }

  function onSwitchUpdate(monitor: SwitchMonitor, view: SwitchView, events: SwitchEvent[]): void {
    if (monitors.get(view.id) !== monitor) return; // a poll of a switch removed or re-created meanwhile
    views.set(view.id, view);
    traffic.record(view);
    for (const event of events) journal.append(switchJournalEntry(event, hostsOnPort));
    recompute();
  }

  function startMonitor(spec: SwitchSpec): void {
    const monitor: SwitchMonitor = createSwitchMonitor(spec, {
      clock,
      connect: deps.connect,
      ping: deps.ping,
      log: ctx.log,
      onUpdate: (view, events) => onSwitchUpdate(monitor, view, events),
    });
    monitors.set(spec.id, monitor);
    if (started) monitor.start();
  }

  function stopMonitor(id: string): void {
    monitors.get(id)?.stop();
    monitors.delete(id);
  }

  function storeFindings(): Finding[] {
    if (!storeProblem) return [];
    return [{ key: 'network:store', kind: 'store.invalid', severity: 'major', hostId: null, summary: storeProblem.slice(0, 500), hostDown: false, fix: 'Re-enter the switches or uplinks that are missing; the rejected entries are kept in the store beside the good ones.', related: [] }];
  }

  function pruneRemovedHosts(): void {
    const gone = inv.dropHostsNotIn(new Set(inventory.list().map((h) => h.id)));
    if (gone.length === 0) return;
    journal.append({ kind: 'network.uplinks-dropped', message: `uplinks of ${[...new Set(gone.map((u) => u.hostId))].length} removed host(s) forgotten: ${gone.map((u) => `${u.switchId} ${u.port}`).join(', ')}`, data: { uplinks: gone } });
  }

  function recompute(): void {
    dirty = false;
    pruneRemovedHosts();
    const runtimes = fleet.all();
    const uplinks = inv.uplinks();
    const verdict: DependencyVerdict = dependencyTree(
      runtimes.map((rt) => ({ id: rt.host.id, name: rt.host.name, lost: lost(rt) })),
      [...views.values()],
      uplinks,
    );
    for (const rt of runtimes) fleet.setNetwork(rt.host.id, hostNetworkOf(verdict.hosts.get(rt.host.id), switchName));
    const groups = groupSources.flatMap((source) => source());
    const advisories = spofFindings(groups, uplinks, inv.list());
    const polledAll = inv.list().every((s) => views.get(s.id)?.state !== 'unknown');
    findingsLive ||= polledAll || clock.now() - startedAt >= NETWORK_FINDINGS_WARMUP_MS;
    if (findingsLive) deps.findings.publish('network', [...storeFindings(), ...verdict.findings, ...advisories]);
    deps.findings.publishTopology(alertParents(uplinks));
    overview = buildNetworkOverview({
      specs: inv.list(),
      views,
      statuses: verdict.hosts,
      uplinks,
      hosts: inventory.list(),
      advisories,
      storeProblem,
    });
    lastSignature = signature();
  }

  /** What the tree depends on besides polls and health, which reach no listener: the inventory and the origin groups. */
  function signature(): string {
    const hosts = inventory.list().map((h) => `${h.id}/${h.name}/${h.kind}/${h.role}/${h.group}`);
    const streams = deps.originMatrix().streams.map((s) => `${s.key}:${s.liveOn.join(',')}`);
    return `${hosts.join('|')}#${streams.join('|')}`;
  }

  function flush(): void {
    if (dirty || signature() !== lastSignature || !findingsLive) recompute();
    const text = JSON.stringify(overview);
    if (text === lastSent) return;
    lastSent = text;
    ctx.emit({ type: 'network.changed', payload: overview });
  }

  function info(id: string): SwitchInfo {
    const spec = inv.require(id);
    return switchInfo(spec, views.get(id)!, inv.uplinks(), views, hostName);
  }

  function uplinkViews(hostId: string): UplinkView[] {
    return inv.uplinksOf(hostId).map((u) => {
      const s = uplinkStatus(u, views);
      return { hostId, hostName: hostName(hostId), switchId: u.switchId, port: u.port, state: s.state, label: s.label, reason: s.reason };
    });
  }

  function isUnreachable(hostId: string): boolean {
    const rt = fleet.runtime(hostId);
    const mine = inv.uplinksOf(hostId);
    if (!rt || !lost(rt) || mine.length === 0) return false;
    return mine.every((u) => uplinkStatus(u, views).state === 'down');
  }

  async function pollSwitchesOf(hostId: string): Promise<void> {
    const ids = [...new Set(inv.uplinksOf(hostId).map((u) => u.switchId))];
    await Promise.all(ids.map((id) => monitors.get(id)?.pollNow()));
  }

  return {
    isUnreachable,
    async confirmUnreachable(hostId) {
      await pollSwitchesOf(hostId);
      return isUnreachable(hostId);
    },
    addRedundancyGroups(source) {
      groupSources.push(source);
      dirty = true;
    },
    overview: () => overview,
    refresh: recompute,
    queries: {
      'network.overview': async () => {
        if (dirty) recompute();
        return overview;
      },
      'switch.traffic': async ({ switchId, ifIndex, maxPoints }) => {
        inv.require(switchId);
        return { switchId, ports: traffic.read(switchId, maxPoints, ifIndex) };
      },
    },
    commands: {
      'switch.add': async (input, call) => {
        const spec = inv.add(input);
        views.set(spec.id, initialSwitchTrack(spec, clock.now()).view);
        startMonitor(spec);
        journal.append({ kind: 'switch.added', operator: call.operator, message: `${actor(call)} added switch ${spec.name} (${spec.address}:${spec.snmpPort}, polled every ${spec.pollMs / 1000} s)`, data: { switchId: spec.id } });
        recompute();
        return info(spec.id);
      },
      'switch.update': async ({ id, patch }, call) => {
        const spec = inv.update(id, patch);
        stopMonitor(id);
        views.set(id, { ...initialSwitchTrack(spec, clock.now()).view, ports: views.get(id)?.ports ?? [] });
        startMonitor(spec);
        const fields = Object.keys(patch).join(', ') || 'nothing';
        journal.append({ kind: 'switch.updated', operator: call.operator, message: `${actor(call)} changed ${fields} of switch ${spec.name}`, data: { switchId: id, fields: Object.keys(patch) } });
        recompute();
        return info(id);
      },
      'switch.remove': async ({ id }, call) => {
        const { spec, uplinks } = inv.remove(id);
        stopMonitor(id);
        views.delete(id);
        traffic.forget(id);
        const unlinked = uplinks.length > 0 ? `; ${uplinks.length} uplink(s) removed with it (${describeUplinks(uplinks, hostName)})` : '';
        journal.append({ kind: 'switch.removed', operator: call.operator, message: `${actor(call)} removed switch ${spec.name} (${spec.address})${unlinked}`, data: { switchId: id, uplinks } });
        recompute();
        return { removed: id, uplinksRemoved: uplinks.length };
      },
      'switch.poll': async ({ id }) => {
        inv.require(id);
        await monitors.get(id)?.pollNow();
        return info(id);
      },
      'host.uplinks.set': async ({ hostId, uplinks }, call) => {
        const host = inventory.require(hostId);
        const before = inv.uplinksOf(hostId);
        const after = inv.setHostUplinks(hostId, uplinks);
        const text = after.length > 0 ? describeUplinks(after, hostName) : 'none';
        journal.append({ kind: 'host.uplinks', hostId, operator: call.operator, message: `${actor(call)} set the uplinks of ${host.name}: ${text}${before.length > 0 ? ` (were ${describeUplinks(before, hostName)})` : ''}`, data: { before, after } });
        recompute();
        return uplinkViews(hostId);
      },
    },
    start() {
      if (started) return;
      started = true;
      startedAt = clock.now();
      for (const spec of inv.list()) startMonitor(spec);
      offs.push(
        fleet.onHealthChange((rt, _from, to) => {
          // A host just suspected: poll its switches now so the verdict is fresh before the detector says down.
          if (to === 'attention') void pollSwitchesOf(rt.host.id);
          recompute();
        }),
      );
      timer = clock.setInterval(flush, TICK_MS);
      recompute();
    },
    stop() {
      started = false;
      timer?.cancel();
      for (const off of offs.splice(0)) off();
      for (const id of [...monitors.keys()]) stopMonitor(id);
    },
  };
}

function describeUplinks(uplinks: readonly HostUplink[], hostName: (id: string) => string): string {
  return uplinks.map((u) => `${hostName(u.hostId)} → ${u.switchId} ${u.port}`).join(', ');
}
