/**
 * The network as the UIs see it, built from the switch specs (the community left out), the latest switch views, the
 * dependency tree's verdict and the advisories. Pure.
 */
import type { Finding } from '../findings/finding';
import { type HostNetworkStatus, uplinkStatus } from './dependency-tree';
import { findInterface } from './if-mib';
import type { HostNetwork, HostNetworkView, NetworkOverview, SwitchInfo, UplinkView } from './network-contract';
import type { HostUplink, SwitchSpec } from './switch-spec';
import type { SwitchView } from './switch-view';

export interface NamedHost {
  id: string;
  name: string;
}

/** The verdict on one host for its HostView; undefined when it has no uplink on record. */
export function hostNetworkOf(status: HostNetworkStatus | undefined, switchName: (id: string) => string): HostNetwork | undefined {
  if (!status || status.reachability === 'unlinked') return undefined;
  const notUp = status.uplinks.filter((u) => u.state !== 'up');
  const reasons = notUp.map((u) => u.reason ?? `${u.label} is ${u.state}`).join('; ');
  switch (status.reachability) {
    case 'reachable':
      return { reachability: 'reachable', reason: null, causeSwitchIds: [] };
    case 'degraded':
      return { reachability: 'degraded', reason: `${notUp.length} of ${status.uplinks.length} uplinks down: ${reasons}`, causeSwitchIds: [] };
    case 'unreachable':
      return {
        reachability: 'unreachable',
        reason: `every uplink is down, behind ${status.causes.map(switchName).join(', ')}: ${reasons}`,
        causeSwitchIds: status.causes,
      };
    case 'unknown':
      return { reachability: 'unknown', reason: reasons || null, causeSwitchIds: [] };
  }
}

export interface OverviewInput {
  specs: readonly SwitchSpec[];
  views: ReadonlyMap<string, SwitchView>;
  statuses: ReadonlyMap<string, HostNetworkStatus>;
  uplinks: readonly HostUplink[];
  hosts: readonly NamedHost[];
  advisories: Finding[];
  storeProblem: string | null;
}

function uplinkView(u: HostUplink, views: ReadonlyMap<string, SwitchView>, hostName: string): UplinkView {
  const status = uplinkStatus(u, views);
  return { hostId: u.hostId, hostName, switchId: u.switchId, port: u.port, state: status.state, label: status.label, reason: status.reason };
}

export function switchInfo(spec: SwitchSpec, view: SwitchView, uplinks: readonly HostUplink[], views: ReadonlyMap<string, SwitchView>, hostName: (id: string) => string): SwitchInfo {
  const { community: _community, ...visible } = spec;
  const mine = uplinks
    .filter((u) => u.switchId === spec.id)
    .map((u) => uplinkView(u, views, hostName(u.hostId)))
    .sort((a, b) => portOrder(view, a.port) - portOrder(view, b.port) || a.hostName.localeCompare(b.hostName));
  return { ...visible, view, uplinks: mine };
}

function portOrder(view: SwitchView, port: number | string): number {
  return findInterface(view.ports, port)?.ifIndex ?? Number.MAX_SAFE_INTEGER;
}

export function buildNetworkOverview(input: OverviewInput): NetworkOverview {
  const names = new Map(input.hosts.map((h) => [h.id, h.name]));
  const hostName = (id: string) => names.get(id) ?? id;
  const switches = input.specs
    .map((spec) => switchInfo(spec, input.views.get(spec.id)!, input.uplinks, input.views, hostName))
    .sort((a, b) => a.name.localeCompare(b.name));
  const hosts: HostNetworkView[] = input.hosts
    .map((h) => {
      const status = input.statuses.get(h.id);
      const network = hostNetworkOf(status, (id) => input.views.get(id)?.name ?? id);
      return { hostId: h.id, hostName: h.name, reachability: network?.reachability ?? ('unlinked' as const), reason: network?.reason ?? null, uplinks: status?.uplinks.length ?? 0 };
    })
    .sort((a, b) => a.hostName.localeCompare(b.hostName));
  return { switches, hosts, advisories: input.advisories, storeProblem: input.storeProblem };
}
