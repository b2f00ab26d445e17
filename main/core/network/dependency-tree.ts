/**
 * The dependency (parent/child) tree: hosts hang off switch ports through the uplinks of the inventory. A host the
 * health detector has lost whose every uplink is down is `unreachable`, not down, and is folded under one root-cause
 * finding on its switch instead of raising its own storm. Pure: switch views and host health in, verdicts out.
 */
import type { Finding } from '../findings/finding';
import { findInterface } from './if-mib';
import type { HostUplink } from './switch-spec';
import type { PortView, SwitchView } from './switch-view';

export type UplinkState = 'up' | 'down' | 'unknown';

export interface UplinkStatus {
  switchId: string;
  port: number | string;
  state: UplinkState;
  /** "sw-core-1 Gi1/0/3", for messages. */
  label: string;
  /** Why the state is what it is, when it is not `up`. */
  reason: string | null;
}

/**
 * reachable: an uplink is up (or the host answers anyway). degraded: some uplinks down, one still up.
 * unreachable: lost by the health detector and every uplink down. unknown: no uplink up, but not all are known down.
 * unlinked: the inventory has no uplink for it.
 */
export type Reachability = 'reachable' | 'degraded' | 'unreachable' | 'unknown' | 'unlinked';

export interface HostNetworkStatus {
  hostId: string;
  reachability: Reachability;
  uplinks: UplinkStatus[];
  /** Switches whose state explains an unreachable host (its dead switches, or the live ones with its ports down). */
  causes: string[];
}

export interface TreeHost {
  id: string;
  name: string;
  /** The health detector no longer hears it (attention or down). */
  lost: boolean;
}

export interface DependencyVerdict {
  hosts: Map<string, HostNetworkStatus>;
  findings: Finding[];
}

const DOWN_OPER = new Set(['down', 'lowerLayerDown', 'notPresent', 'dormant', 'testing']);

function portLabel(port: PortView | undefined, ref: number | string): string {
  return port?.name ?? port?.descr ?? (typeof ref === 'number' ? `ifIndex ${ref}` : ref);
}

export function uplinkStatus(uplink: HostUplink, switches: ReadonlyMap<string, SwitchView>): UplinkStatus {
  const sw = switches.get(uplink.switchId);
  const base = { switchId: uplink.switchId, port: uplink.port };
  if (!sw) return { ...base, state: 'unknown', label: `${uplink.switchId} ${uplink.port}`, reason: `switch ${uplink.switchId} is not in the inventory` };
  if (sw.state === 'unreachable') return { ...base, state: 'down', label: `${sw.name} ${uplink.port}`, reason: `switch ${sw.name} is unreachable` };
  if (sw.state !== 'up') return { ...base, state: 'unknown', label: `${sw.name} ${uplink.port}`, reason: `switch ${sw.name} is ${sw.state}` };
  const port = findInterface(sw.ports, uplink.port);
  const label = `${sw.name} ${portLabel(port, uplink.port)}`;
  if (!port) return { ...base, state: 'unknown', label, reason: `${sw.name} has no port "${uplink.port}"` };
  if (port.oper === 'up') return { ...base, state: 'up', label, reason: null };
  if (DOWN_OPER.has(port.oper)) return { ...base, state: 'down', label, reason: `${label} is ${port.oper}${port.admin === 'down' ? ' (shut down by an admin)' : ''}` };
  return { ...base, state: 'unknown', label, reason: `${label} reports ${port.oper}` };
}

function reachabilityOf(host: TreeHost, uplinks: UplinkStatus[]): Reachability {
  if (uplinks.length === 0) return 'unlinked';
  const down = uplinks.filter((u) => u.state === 'down').length;
  const up = uplinks.filter((u) => u.state === 'up').length;
  if (down === uplinks.length) return host.lost ? 'unreachable' : 'reachable';
  if (up > 0) return down > 0 ? 'degraded' : 'reachable';
  return 'unknown';
}

export function dependencyTree(hosts: readonly TreeHost[], switches: readonly SwitchView[], uplinks: readonly HostUplink[]): DependencyVerdict {
  const switchById = new Map(switches.map((s) => [s.id, s]));
  const result = new Map<string, HostNetworkStatus>();
  const findings: Finding[] = [];
  const foldedUnder = new Map<string, TreeHost[]>();

  for (const host of hosts) {
    const mine = uplinks.filter((u) => u.hostId === host.id).map((u) => uplinkStatus(u, switchById));
    const reachability = reachabilityOf(host, mine);
    const causes = reachability === 'unreachable' ? [...new Set(mine.map((u) => u.switchId))] : [];
    for (const switchId of causes) foldedUnder.set(switchId, [...(foldedUnder.get(switchId) ?? []), host]);
    result.set(host.id, { hostId: host.id, reachability, uplinks: mine, causes });
    findings.push(...hostFindings(host, reachability, mine, switchById));
  }

  for (const sw of switches) {
    const answering = hosts.filter((h) => !h.lost && uplinks.some((u) => u.hostId === h.id && u.switchId === sw.id));
    findings.push(...switchFindings(sw, foldedUnder.get(sw.id) ?? [], answering, result));
  }
  return { hosts: result, findings };
}

function names(hosts: readonly TreeHost[], max = 5): string {
  const shown = hosts.slice(0, max).map((h) => h.name).join(', ');
  return hosts.length > max ? `${shown} and ${hosts.length - max} more` : shown;
}

function switchFindings(sw: SwitchView, folded: TreeHost[], answering: TreeHost[], statuses: ReadonlyMap<string, HostNetworkStatus>): Finding[] {
  const related = folded.map((h) => h.id);
  if (sw.state === 'unreachable') {
    const behind = folded.length > 0 ? `; ${folded.length} host${folded.length > 1 ? 's' : ''} behind it unreachable: ${names(folded)}` : '';
    // Hosts that still answer through it mean its management is gone while it still forwards: serious, not an outage.
    const still = answering.length > 0 ? `; ${names(answering)} behind it still answer${answering.length > 1 ? '' : 's'}, so it may still forward traffic` : '';
    return [{
      key: `switch:${sw.id}:down`,
      kind: 'switch.down',
      severity: answering.length > 0 && folded.length === 0 ? 'major' : 'critical',
      hostId: sw.id,
      summary: `Switch ${sw.name} is unreachable${behind}${still}`.slice(0, 500),
      hostDown: true,
      fix: 'Check the switch (power, its own uplink, its management); the hosts behind it are folded under this alert.',
      related,
    }];
  }
  const out: Finding[] = [];
  if (sw.state === 'snmp-silent' || sw.state === 'error') {
    out.push({
      key: `switch:${sw.id}:snmp`,
      kind: 'switch.snmp',
      severity: 'major',
      hostId: sw.id,
      summary: `Switch ${sw.name}: ${sw.error ?? sw.state}`,
      hostDown: false,
      fix: sw.state === 'snmp-silent' ? 'Check the SNMP community and access list configured for this switch.' : null,
      related: [],
    });
  }
  if (sw.state === 'up' && folded.length > 0) {
    const ports = folded.flatMap((h) => (statuses.get(h.id)?.uplinks ?? []).filter((u) => u.switchId === sw.id).map((u) => `${h.name} on ${u.label}`));
    out.push({
      key: `switch:${sw.id}:uplinks-down`,
      kind: 'switch.uplinks-down',
      severity: 'major',
      hostId: sw.id,
      summary: `Switch ${sw.name}: every uplink of ${names(folded)} is down (${ports.slice(0, 5).join('; ')})`.slice(0, 500),
      hostDown: false,
      fix: 'Check the cables and the hosts\' network ports; the hosts are unreachable, not necessarily down.',
      related,
    });
  }
  return out;
}

function hostFindings(host: TreeHost, reachability: Reachability, uplinks: UplinkStatus[], switches: ReadonlyMap<string, SwitchView>): Finding[] {
  const out: Finding[] = [];
  for (const u of uplinks) {
    const sw = switches.get(u.switchId);
    if (!sw || (sw.state === 'up' && !findInterface(sw.ports, u.port))) {
      out.push({
        key: `host:${host.id}:uplink:${u.switchId}:${u.port}`,
        kind: 'network.inventory',
        severity: 'warning',
        hostId: host.id,
        summary: `${host.name}'s uplink cannot be found: ${u.reason}`,
        hostDown: false,
        fix: 'Correct the uplink in the inventory (switch and port name or ifIndex).',
        related: [u.switchId],
      });
    }
  }
  if (reachability === 'degraded') {
    const down = uplinks.filter((u) => u.state === 'down');
    const up = uplinks.filter((u) => u.state === 'up');
    out.push({
      key: `host:${host.id}:uplinks`,
      kind: 'host.uplink-lost',
      severity: 'minor',
      hostId: host.id,
      summary: `${host.name} lost ${down.length} of ${uplinks.length} uplinks (${down.map((u) => u.reason).join('; ')}); still up: ${up.map((u) => u.label).join(', ')}`.slice(0, 500),
      hostDown: false,
      fix: null,
      related: [...new Set(down.map((u) => u.switchId))],
    });
  }
  const portsDownOnLiveSwitches = uplinks.every((u) => u.state === 'down' && switches.get(u.switchId)?.state === 'up');
  if (reachability === 'reachable' && uplinks.length > 0 && portsDownOnLiveSwitches) {
    out.push({
      key: `host:${host.id}:uplinks-disagree`,
      kind: 'network.inventory',
      severity: 'warning',
      hostId: host.id,
      summary: `${host.name} still answers although every uplink recorded for it is down (${uplinks.map((u) => u.label).join(', ')})`.slice(0, 500),
      hostDown: false,
      fix: 'Check which switch ports this host is really plugged into and correct the inventory.',
      related: [...new Set(uplinks.map((u) => u.switchId))],
    });
  }
  return out;
}

/** For the alert engine's topology: each host → the switches it hangs off (it folds only when all of them are down). */
export function alertParents(uplinks: readonly HostUplink[]): Record<string, string[]> {
  const parents: Record<string, string[]> = {};
  for (const u of uplinks) {
    const list = (parents[u.hostId] ??= []);
    if (!list.includes(u.switchId)) list.push(u.switchId);
  }
  return parents;
}
