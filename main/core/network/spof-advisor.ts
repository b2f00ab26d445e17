/**
 * Single points of failure: hosts that back each other up (a main and its reserve, the replicas of an archive, the
 * origins of a stream) must not all hang off one switch, or that switch takes them all down together (seed 002:
 * "servers that back each other up are wired to different switches"). A switch is a single point of failure for a
 * group when every member's uplinks are all on it. The advisory names the fix: move one member to another switch.
 */
import type { Finding } from '../findings/finding';
import type { HostUplink } from './switch-spec';

export type RedundancyKind = 'main-reserve' | 'archive-replicas' | 'stream-origins';

export interface GroupMember {
  id: string;
  name: string;
}

export interface RedundancyGroup {
  /** Stable id of the group, e.g. `main-reserve:h-1`, `stream-origins:live/ch1`. */
  key: string;
  kind: RedundancyKind;
  /** What the group protects: the main host's name, the archive's stream, the stream. */
  label: string;
  /** The member to move comes last (the reserve, the second replica, the second origin). */
  members: GroupMember[];
}

export interface SwitchName {
  id: string;
  name: string;
}

const DESCRIBE: Record<RedundancyKind, (group: RedundancyGroup, switchName: string) => string> = {
  'main-reserve': (g, sw) => {
    const [main, ...reserves] = g.members;
    const which = reserves.length > 1 ? `all its reserves (${reserves.map((m) => m.name).join(', ')})` : `its reserve ${reserves[0]?.name}`;
    return `${main?.name} and ${which} are behind the same switch ${sw}: one switch failure takes down the main and its backup`;
  },
  'archive-replicas': (g, sw) =>
    `Every replica of the archive of ${g.label} (${g.members.map((m) => m.name).join(', ')}) is behind switch ${sw}: one switch failure loses all copies`,
  'stream-origins': (g, sw) =>
    `Every origin of ${g.label} (${g.members.map((m) => m.name).join(', ')}) is behind switch ${sw}: one switch failure takes the stream off the air`,
};

/** The switch every member hangs off alone, or null (a member dual-homed, members on different switches, links unknown). */
export function sharedSwitch(group: RedundancyGroup, uplinks: readonly HostUplink[]): string | null {
  let shared: string | null = null;
  for (const member of group.members) {
    const switches = new Set(uplinks.filter((u) => u.hostId === member.id).map((u) => u.switchId));
    if (switches.size !== 1) return null;
    const [only] = switches;
    if (shared !== null && shared !== only) return null;
    shared = only!;
  }
  return shared;
}

export function spofFindings(groups: readonly RedundancyGroup[], uplinks: readonly HostUplink[], switches: readonly SwitchName[]): Finding[] {
  const switchName = new Map(switches.map((s) => [s.id, s.name]));
  const findings: Finding[] = [];
  for (const group of groups) {
    if (group.members.length < 2) continue;
    const shared = sharedSwitch(group, uplinks);
    if (shared === null) continue;
    const name = switchName.get(shared) ?? shared;
    const move = group.members[group.members.length - 1]!;
    findings.push({
      key: `spof:${group.key}`,
      kind: 'network.spof',
      severity: 'warning',
      hostId: move.id,
      summary: DESCRIBE[group.kind](group, name).slice(0, 500),
      hostDown: false,
      fix: `Move ${move.name} to another switch.`,
      related: [...group.members.map((m) => m.id), shared],
    });
  }
  return findings;
}

export interface InventoryHostRef {
  id: string;
  name: string;
  kind: string;
  role: 'main' | 'reserve' | 'maintenance';
  group: string;
}

/** Each main with the reserves of its kind and group: the pairs N+k failover relies on. */
export function mainReserveGroups(hosts: readonly InventoryHostRef[]): RedundancyGroup[] {
  const bucket = (h: InventoryHostRef) => `${h.kind}\u0000${h.group}`;
  return hosts
    .filter((h) => h.role === 'main')
    .flatMap((main) => {
      const reserves = hosts.filter((h) => h.role === 'reserve' && bucket(h) === bucket(main));
      if (reserves.length === 0) return [];
      return [{ key: `main-reserve:${main.id}`, kind: 'main-reserve' as const, label: main.name, members: [main, ...reserves].map(({ id, name }) => ({ id, name })) }];
    });
}
