/**
 * N+k failover planning as a pure function (seed 001): for each failed host pick one reserve of the same kind that is
 * online, empty and big enough, preferring one behind another switch; never book a reserve twice; a host that no
 * reserve can take gets nothing started at all ("no reserve capacity"), never half its channels.
 */

export interface PlannedChannel {
  name: string;
  /** The snapshot to push: the latest known config of the channel. */
  snapshotHash: string;
  fromEpoch: number;
  toEpoch: number;
}

export interface FailedHost {
  hostId: string;
  name: string;
  kind: string;
  switchId: string | null;
  channels: { name: string; snapshotHash: string | null; epoch: number }[];
}

export interface ReserveCandidate {
  hostId: string;
  name: string;
  kind: string;
  switchId: string | null;
  online: boolean;
  channelCount: number;
  /** How many channels the host can run; null when unknown (seed 001: reserves are of similar capacity). */
  capacityChannels: number | null;
}

export interface Assignment {
  failedHostId: string;
  reserveHostId: string;
  sameSwitch: boolean;
  channels: PlannedChannel[];
}

export interface Refusal {
  failedHostId: string;
  reason: string;
}

export interface FailoverPlan {
  assignments: Assignment[];
  refusals: Refusal[];
}

export function planFailover(failed: FailedHost[], reserves: ReserveCandidate[], booked: ReadonlySet<string> = new Set()): FailoverPlan {
  const taken = new Set(booked);
  const assignments: Assignment[] = [];
  const refusals: Refusal[] = [];
  // Biggest first, so a large host is not starved by small ones taking the only large reserve.
  const order = [...failed].sort((a, b) => b.channels.length - a.channels.length || a.name.localeCompare(b.name));
  for (const host of order) {
    const missing = host.channels.filter((c) => c.snapshotHash === null).map((c) => c.name);
    if (missing.length > 0) {
      refusals.push({ failedHostId: host.hostId, reason: `no snapshot of ${missing.join(', ')}: cannot restore ${missing.length === 1 ? 'it' : 'them'} elsewhere` });
      continue;
    }
    const fitting = reserves.filter((r) => !taken.has(r.hostId) && fits(r, host));
    if (fitting.length === 0) {
      refusals.push({ failedHostId: host.hostId, reason: whyNoReserve(host, reserves, taken) });
      continue;
    }
    fitting.sort(
      (a, b) =>
        Number(sameSwitch(a, host)) - Number(sameSwitch(b, host)) ||
        (a.capacityChannels ?? Infinity) - (b.capacityChannels ?? Infinity) ||
        a.name.localeCompare(b.name),
    );
    const reserve = fitting[0]!;
    taken.add(reserve.hostId);
    assignments.push({
      failedHostId: host.hostId,
      reserveHostId: reserve.hostId,
      sameSwitch: sameSwitch(reserve, host),
      channels: host.channels.map((c) => ({ name: c.name, snapshotHash: c.snapshotHash!, fromEpoch: c.epoch, toEpoch: c.epoch + 1 })),
    });
  }
  return { assignments, refusals };
}

function fits(r: ReserveCandidate, host: FailedHost): boolean {
  return r.kind === host.kind && r.online && r.channelCount === 0 && (r.capacityChannels === null || r.capacityChannels >= host.channels.length);
}

function sameSwitch(r: ReserveCandidate, host: FailedHost): boolean {
  return r.switchId !== null && r.switchId === host.switchId;
}

function whyNoReserve(host: FailedHost, reserves: ReserveCandidate[], taken: Set<string>): string {
  const sameKind = reserves.filter((r) => r.kind === host.kind);
  if (sameKind.length === 0) return `no reserve capacity: no ${host.kind} reserve in the inventory`;
  const reasons = sameKind.map((r) => {
    if (taken.has(r.hostId)) return `${r.name} is already taken`;
    if (!r.online) return `${r.name} is not online`;
    if (r.channelCount > 0) return `${r.name} is not empty (${r.channelCount} channels)`;
    return `${r.name} can run ${r.capacityChannels} channels, ${host.name} has ${host.channels.length}`;
  });
  return `no reserve capacity: ${reasons.join('; ')}`;
}
