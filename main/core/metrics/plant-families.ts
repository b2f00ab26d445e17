/**
 * The figures only the console knows, as Prometheus families: the switches it polls, the stream × origin map, the
 * archive replica sets and storage groups it compares, and the findings of its rules. Pure: each function takes the
 * overview the UI gets from the same query and makes one pass over it. A part the console could not read (null) is
 * left out, never reported as 0.
 */
import { gauge, type MetricFamily, type Sample } from '../../../lib/prometheus-text';
import { type ArchiveOverview, IdentityView, type ReplicaSetView, ResyncJobView, type StorageGroupView } from '../archive/archive-contract';
import { FindingSource, type SourcedFinding } from '../findings/findings-contract';
import { IF_STATUS } from '../network/if-mib';
import { HostReachability, type NetworkOverview, type SwitchInfo, UplinkState } from '../network/network-contract';
import { type PortView, SwitchState } from '../network/switch-view';
import { OriginState } from '../origins/matrix-view';
import type { OriginsOverview } from '../origins/origins-contract';
import { minOriginsFor } from '../origins/redundancy-rules';
import { Severity } from '../severity';

const flag = (b: boolean) => (b ? 1 : 0);
/** The console keeps bits/s (as switches count speed); Prometheus wants base units, and promtool lint says bytes. */
const bytes = (bitsPerSecond: number | null) => (bitsPerSecond === null ? null : bitsPerSecond / 8);
const ageSeconds = (nowMs: number, at: number | null) => (at === null ? null : Math.max(0, nowMs - at) / 1000);

const UPLINK_STATES = UplinkState.options;
const REACHABILITY = HostReachability.options;
const IDENTITY_STATES = IdentityView.shape.state.options;
const JOB_STATES = ResyncJobView.shape.state.options;

/** IF-MIB ifOperStatus / ifAdminStatus as numbers (up 1 … lowerLayerDown 7), as snmp_exporter reports them. */
export const ifStatusCode = (status: (typeof IF_STATUS)[number]): number => IF_STATUS.indexOf(status) + 1;

export function switchFamilies(network: NetworkOverview | null, nowMs: number): MetricFamily[] {
  if (!network) return [];
  const sw = (s: SwitchInfo) => ({ switch_id: s.id, switch: s.name });
  const ports = network.switches.flatMap((s) => s.view.ports.map((p) => ({ s, p })));
  const port = (s: SwitchInfo, p: PortView) => ({ ...sw(s), if_index: String(p.ifIndex), port: p.name ?? p.descr ?? String(p.ifIndex) });
  const perPort = (pick: (p: PortView) => number | null): Sample[] => ports.map(({ s, p }) => ({ labels: port(s, p), value: pick(p) }));
  const uplinks = network.switches.flatMap((s) => s.uplinks);
  const names = new Map(network.switches.map((s) => [s.id, s.name]));
  const linked = network.hosts.filter((h) => h.reachability !== 'unlinked');
  return [
    gauge('tally_switches', 'Switches the console polls.', [{ labels: {}, value: network.switches.length }]),
    gauge('tally_switch_up', 'Whether the last SNMP poll of a switch answered (1) or not (0).', network.switches.map((s) => ({ labels: sw(s), value: flag(s.view.state === 'up') }))),
    gauge(
      'tally_switch_state',
      'The poll state of a switch (up, snmp-silent, unreachable, error, unknown): 1 for its state, 0 for the others.',
      network.switches.flatMap((s) => SwitchState.options.map((state) => ({ labels: { ...sw(s), state }, value: flag(s.view.state === state) }))),
    ),
    gauge('tally_switch_state_age_seconds', 'Seconds a switch has been in its current poll state.', network.switches.map((s) => ({ labels: sw(s), value: ageSeconds(nowMs, s.view.stateSince) }))),
    gauge('tally_switch_uptime_seconds', 'sysUpTime of a switch at its last poll.', network.switches.map((s) => ({ labels: sw(s), value: s.view.uptimeSec }))),
    gauge('tally_switch_last_restart_timestamp_seconds', 'When the console last saw a switch restart (from sysUpTime), Unix time.', network.switches.map((s) => ({ labels: sw(s), value: s.view.lastRestartAt === null ? null : s.view.lastRestartAt / 1000 }))),
    gauge('tally_switch_last_poll_age_seconds', 'Seconds since a switch last answered SNMP.', network.switches.map((s) => ({ labels: sw(s), value: ageSeconds(nowMs, s.view.polledAt) }))),
    gauge('tally_switch_ping_rtt_seconds', 'Round-trip time of the last ping of a switch.', network.switches.map((s) => ({ labels: sw(s), value: s.view.rttMs === null ? null : s.view.rttMs / 1000 }))),
    gauge('tally_switch_port_oper_up', 'Whether a switch port is operationally up (1) or not (0).', perPort((p) => flag(p.oper === 'up'))),
    gauge('tally_switch_port_oper_status', 'IF-MIB ifOperStatus of a switch port: 1 up, 2 down, 3 testing, 4 unknown, 5 dormant, 6 notPresent, 7 lowerLayerDown.', perPort((p) => ifStatusCode(p.oper))),
    gauge('tally_switch_port_admin_up', 'Whether a switch port is administratively up (1) or shut (0).', perPort((p) => flag(p.admin === 'up'))),
    gauge('tally_switch_port_speed_bytes_per_second', 'Nominal speed of a switch port (ifHighSpeed), in bytes per second like every rate here.', perPort((p) => bytes(p.speedBps))),
    gauge('tally_switch_port_in_bytes_per_second', 'Traffic into a switch port over the last poll interval (from the HC octet counters).', perPort((p) => bytes(p.inBps))),
    gauge('tally_switch_port_out_bytes_per_second', 'Traffic out of a switch port over the last poll interval (from the HC octet counters).', perPort((p) => bytes(p.outBps))),
    gauge('tally_switch_port_in_errors_per_second', 'Inbound errors of a switch port per second over the last poll interval.', perPort((p) => p.inErrorsPerSec)),
    gauge('tally_switch_port_out_errors_per_second', 'Outbound errors of a switch port per second over the last poll interval.', perPort((p) => p.outErrorsPerSec)),
    gauge('tally_switch_port_in_discards_per_second', 'Inbound discards of a switch port per second over the last poll interval.', perPort((p) => p.inDiscardsPerSec)),
    gauge('tally_switch_port_out_discards_per_second', 'Outbound discards of a switch port per second over the last poll interval.', perPort((p) => p.outDiscardsPerSec)),
    gauge(
      'tally_host_uplink_state',
      'A host to switch-port cable on record (up, down, unknown): 1 for its state, 0 for the others.',
      uplinks.flatMap((u) =>
        UPLINK_STATES.map((state) => ({ labels: { host_id: u.hostId, host: u.hostName, switch_id: u.switchId, switch: names.get(u.switchId) ?? u.switchId, port: String(u.port), state }, value: flag(u.state === state) })),
      ),
    ),
    gauge(
      'tally_host_network_reachability',
      "The network's verdict on a host with uplinks (reachable, degraded, unreachable behind a dead switch, unknown): 1 for it, 0 for the others.",
      linked.flatMap((h) => REACHABILITY.map((state) => ({ labels: { host_id: h.hostId, host: h.hostName, state }, value: flag(h.reachability === state) }))),
    ),
    gauge('tally_spof_advisories', 'Single points of failure the network advisor finds (a main and its backup behind one switch, …).', [{ labels: {}, value: network.advisories.length }]),
  ];
}

export function originFamilies(origins: OriginsOverview | null): MetricFamily[] {
  if (!origins) return [];
  const { matrix, settings } = origins;
  const stream = (r: (typeof matrix.streams)[number]) => ({ app: r.app, stream: r.name });
  const rows = matrix.streams.map((r) => ({ r, min: minOriginsFor(r.key, settings) }));
  const names = new Map(matrix.origins.map((o) => [o.hostId, o.hostName]));
  return [
    gauge('tally_origins', 'Origin hosts by state (only ok origins count towards a stream\'s redundancy).', OriginState.options.map((state) => ({ labels: { state }, value: matrix.origins.filter((o) => o.state === state).length }))),
    gauge('tally_streams', 'Streams in the stream × origin map.', [{ labels: {}, value: matrix.streams.length }]),
    gauge('tally_stream_live_origins', 'Origins a stream is live on (publishing on an origin in state ok).', rows.map(({ r }) => ({ labels: stream(r), value: r.liveOn.length }))),
    gauge('tally_stream_min_origins', 'Origins a stream must be live on (minOrigins, or its own exception).', rows.map(({ r, min }) => ({ labels: stream(r), value: min }))),
    gauge('tally_stream_below_min_origins', 'Whether a stream is live on fewer origins than its minimum (1) or not (0).', rows.map(({ r, min }) => ({ labels: stream(r), value: flag(r.liveOn.length < min) }))),
    gauge('tally_stream_dark', 'Whether a stream is live on no origin at all (1) or not (0).', rows.map(({ r }) => ({ labels: stream(r), value: flag(r.liveOn.length === 0) }))),
    gauge('tally_stream_expected', 'Whether the console expects a stream (a channel output) even when no origin lists it.', rows.map(({ r }) => ({ labels: stream(r), value: flag(r.expected) }))),
    gauge('tally_stream_clients', 'Players of a stream across all origins.', rows.map(({ r }) => ({ labels: stream(r), value: r.clients }))),
    gauge('tally_origin_loss_dark_streams', 'Streams that would go off the air if this origin died.', origins.impacts.map((i) => ({ labels: { host_id: i.hostId, host: names.get(i.hostId) ?? i.hostId }, value: i.dark.length }))),
    gauge('tally_origin_loss_below_min_streams', 'Streams that would fall below their minimum if this origin died.', origins.impacts.map((i) => ({ labels: { host_id: i.hostId, host: names.get(i.hostId) ?? i.hostId }, value: i.belowMin.length }))),
    gauge('tally_origin_loss_players', 'Players of the streams that would go off the air if this origin died.', origins.impacts.map((i) => ({ labels: { host_id: i.hostId, host: names.get(i.hostId) ?? i.hostId }, value: i.playersCut }))),
  ];
}

interface RunningTotals {
  bytesTotal: number;
  bytesDone: number;
  throughput: number;
  eta: number | null;
  running: number;
}

function runningTotals(set: ReplicaSetView): RunningTotals {
  const t: RunningTotals = { bytesTotal: 0, bytesDone: 0, throughput: 0, eta: null, running: 0 };
  for (const j of set.jobs) {
    if (j.state !== 'running') continue;
    t.running++;
    t.bytesTotal += j.bytesTotal;
    t.bytesDone += Math.min(j.bytesDone, j.bytesTotal);
    t.throughput += j.throughputBytesPerSec;
    if (j.etaSec !== null) t.eta = Math.max(t.eta ?? 0, j.etaSec);
  }
  return t;
}

export function archiveFamilies(archive: ArchiveOverview | null, nowMs: number): MetricFamily[] {
  if (!archive) return [];
  const sets = archive.replicaSets.map((set) => ({ set, run: runningTotals(set) }));
  const setLabel = (set: ReplicaSetView) => ({ stream: set.stream });
  const perSet = (pick: (set: ReplicaSetView, run: RunningTotals) => number | null): Sample[] => sets.map(({ set, run }) => ({ labels: setLabel(set), value: pick(set, run) }));
  const members = archive.replicaSets.flatMap((set) => set.members.map((m) => ({ set, m, labels: { stream: set.stream, host_id: m.hostId, host: m.hostName } })));
  const perMember = (pick: (m: ReplicaSetView['members'][number]) => number | null): Sample[] => members.map(({ m, labels }) => ({ labels, value: pick(m) }));
  const group = (g: StorageGroupView) => ({ group: g.group });
  return [
    gauge('tally_archive_recovery_mode', 'Whether the console resyncs a returning or diverged archive member by itself (1) or not (0).', [{ labels: {}, value: flag(archive.settings.autoResync) }]),
    gauge('tally_archive_sets', 'Archive replica sets (a stream recorded on one or more archive hosts).', [{ labels: {}, value: archive.replicaSets.length }]),
    gauge('tally_archive_set_members', 'Archive hosts that hold a stream.', perSet((set) => set.members.length)),
    gauge('tally_archive_set_healthy_members', 'Archive hosts of a set that are connected and healthy.', perSet((set) => set.members.filter((m) => m.healthy).length)),
    gauge(
      'tally_archive_set_identity',
      'Whether the members of a set hold the same archive (identical, diverged, conflict, unknown): 1 for its state, 0 for the others.',
      sets.flatMap(({ set }) => IDENTITY_STATES.map((state) => ({ labels: { ...setLabel(set), state }, value: flag(set.identity.state === state) }))),
    ),
    gauge('tally_archive_set_differing_digests', 'Per-hour digests that differ between the members of a set at its last compare (hours to drill into).', perSet((set) => set.hoursThatDiffer.length)),
    gauge('tally_archive_set_conflicts', 'Segments the members of a set hold with different bytes (nothing is overwritten).', perSet((set) => set.conflicts.length)),
    gauge('tally_archive_set_unrepairable_segments', 'Segments a member needs that no member holds a good copy of.', perSet((set) => set.unrepairable)),
    gauge('tally_archive_set_compare_age_seconds', 'Seconds since the members of a set were last compared.', perSet((set) => ageSeconds(nowMs, set.comparedAt))),
    gauge('tally_archive_set_compare_failed', 'Whether the last compare of a set failed (1) or not (0).', perSet((set) => (set.comparedAt === null ? null : flag(set.compareError !== null)))),
    gauge('tally_archive_member_missing_ranges', 'Time ranges of a stream a member lacks (missing or rotten segments), at the last compare.', perMember((m) => m.missing.length)),
    gauge('tally_archive_member_missing_segments', 'Segments of a stream a member lacks.', perMember((m) => m.missing.reduce((n, r) => n + r.segments, 0))),
    gauge('tally_archive_member_missing_seconds', 'Recorded time of a stream a member lacks.', perMember((m) => m.missing.reduce((n, r) => n + Math.max(0, r.toMs - r.fromMs), 0) / 1000)),
    gauge('tally_archive_member_missing_bytes', 'Bytes of a stream a member lacks.', perMember((m) => m.missing.reduce((n, r) => n + r.bytes, 0))),
    gauge(
      'tally_archive_member_oldest_gap_age_seconds',
      'Seconds since the start of the oldest segment a member still lacks: how long its oldest gap has gone unrepaired, for a live recording.',
      perMember((m) => (m.missing.length === 0 ? null : Math.max(0, nowMs - m.missing.reduce((oldest, r) => Math.min(oldest, r.fromMs), Infinity)) / 1000)),
    ),
    gauge(
      'tally_archive_set_resync_jobs',
      'Resync jobs of a set by state (the console shows the newest few).',
      sets.flatMap(({ set }) => JOB_STATES.map((state) => ({ labels: { ...setLabel(set), state }, value: set.jobs.filter((j) => j.state === state).length }))),
    ),
    gauge('tally_archive_set_resync_remaining_bytes', 'Bytes the running resync jobs of a set still have to fetch.', perSet((_set, run) => (run.running ? run.bytesTotal - run.bytesDone : 0))),
    gauge('tally_archive_set_resync_progress_ratio', 'Bytes done over bytes to fetch of the running resync jobs of a set, 0 to 1.', perSet((_set, run) => (run.running && run.bytesTotal > 0 ? run.bytesDone / run.bytesTotal : null))),
    gauge('tally_archive_set_resync_throughput_bytes_per_second', 'Combined throughput of the running resync jobs of a set.', perSet((_set, run) => (run.running ? run.throughput : null))),
    gauge('tally_archive_set_resync_eta_seconds', 'Estimated seconds until the slowest running resync job of a set finishes.', perSet((_set, run) => run.eta)),
    gauge('tally_storage_groups', 'Storage groups (hosts sharing one content root).', [{ labels: {}, value: archive.storageGroups.length }]),
    gauge('tally_storage_group_members', 'Members of a storage group.', archive.storageGroups.map((g) => ({ labels: group(g), value: g.members.length }))),
    gauge('tally_storage_group_healthy_members', 'Members of a storage group that are connected and healthy.', archive.storageGroups.map((g) => ({ labels: group(g), value: g.members.filter((m) => m.healthy).length }))),
    gauge('tally_storage_group_active_members', 'Members a client would be handed: healthy and holding the group\'s content.', archive.storageGroups.map((g) => ({ labels: group(g), value: g.active.length }))),
    gauge(
      'tally_storage_group_identity',
      'Whether the members of a storage group hold the same content (identical, diverged, conflict, unknown): 1 for its state, 0 for the others.',
      archive.storageGroups.flatMap((g) => IDENTITY_STATES.map((state) => ({ labels: { ...group(g), state }, value: flag(g.identity.state === state) }))),
    ),
  ];
}

export function findingFamilies(findings: SourcedFinding[] | null): MetricFamily[] {
  if (!findings) return [];
  const counts = new Map<string, number>();
  for (const f of findings) counts.set(`${f.source} ${f.severity}`, (counts.get(`${f.source} ${f.severity}`) ?? 0) + 1);
  return [
    gauge(
      'tally_findings',
      "Open findings of the console's rules (a stream on one origin, a dead switch, a single point of failure, a thin archive set), by source and severity.",
      FindingSource.options.flatMap((source) => Severity.options.map((severity) => ({ labels: { source, severity }, value: counts.get(`${source} ${severity}`) ?? 0 }))),
    ),
  ];
}
