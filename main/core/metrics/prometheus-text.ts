/**
 * The console's `GET /metrics` in Prometheus text format (0.0.4), rendered from a plain snapshot so the renderer is
 * pure and tested on its own (console-metrics.ts gathers the snapshot from the engine). The format itself (families,
 * escaping) is lib/prometheus-text.ts, shared with the agent.
 */
import { counter, gauge, type MetricFamily, renderFamilies } from '../../../lib/prometheus-text';
import { HealthState, LinkState, Severity, type HostView } from '../api';
import type { ArchiveOverview } from '../archive/archive-contract';
import type { ClusterStatus } from '../cluster/cluster-contract';
import type { FailoverOperation } from '../failover/failover-contract';
import type { SourcedFinding } from '../findings/findings-contract';
import type { NetworkOverview } from '../network/network-contract';
import type { OriginsOverview } from '../origins/origins-contract';
import { archiveFamilies, findingFamilies, originFamilies, switchFamilies } from './plant-families';

export { METRICS_CONTENT_TYPE } from '../../../lib/prometheus-text';

export interface EventLoopLag {
  p50Seconds: number;
  p99Seconds: number;
  maxSeconds: number;
}

export interface ConsoleMetricsSnapshot {
  nowMs: number;
  uptimeSeconds: number;
  hosts: HostView[];
  /** The failover history the console keeps (the newest few hundred operations). */
  operations: FailoverOperation[];
  /** Open alerts, or null when the alert state cannot be read. */
  openAlerts: { severity: Severity }[] | null;
  /** Journal entries appended since the console started, by severity. */
  journalEntries: Partial<Record<Severity, number>>;
  eventLoopLag: EventLoopLag | null;
  /** What the UI's overviews show (null when a part cannot be read: its families are left out). */
  network: NetworkOverview | null;
  origins: OriginsOverview | null;
  archive: ArchiveOverview | null;
  findings: SourcedFinding[] | null;
  /** process.memoryUsage() of the console (bytes). */
  memory?: { rss: number; heapTotal: number; heapUsed: number; external: number; arrayBuffers: number };
  /** This console's place among several (etcd); null when it cannot be read. */
  cluster: ClusterStatus | null;
}

const flag = (b: boolean) => (b ? 1 : 0);

export function consoleMetricsText(s: ConsoleMetricsSnapshot): string {
  return renderFamilies([
    gauge('tally_console_uptime_seconds', 'Seconds since the console process started.', [{ labels: {}, value: s.uptimeSeconds }]),
    ...hostFamilies(s),
    ...failoverFamilies(s.operations),
    gauge('tally_alerts_open', 'Open alerts by severity.', s.openAlerts ? Severity.options.map((severity) => ({ labels: { severity }, value: s.openAlerts!.filter((a) => a.severity === severity).length })) : []),
    counter('tally_journal_entries_total', 'Journal entries appended since this console began serving /metrics, by severity.', Severity.options.map((severity) => ({ labels: { severity }, value: s.journalEntries[severity] ?? 0 }))),
    gauge('tally_console_event_loop_lag_p50_seconds', 'Median event-loop delay since the previous scrape.', [{ labels: {}, value: s.eventLoopLag?.p50Seconds }]),
    gauge('tally_console_event_loop_lag_p99_seconds', '99th percentile event-loop delay since the previous scrape.', [{ labels: {}, value: s.eventLoopLag?.p99Seconds }]),
    gauge('tally_console_event_loop_lag_max_seconds', 'Largest event-loop delay since the previous scrape.', [{ labels: {}, value: s.eventLoopLag?.maxSeconds }]),
    ...switchFamilies(s.network, s.nowMs),
    ...originFamilies(s.origins),
    ...archiveFamilies(s.archive, s.nowMs),
    ...findingFamilies(s.findings),
    ...clusterFamilies(s.cluster),
    gauge('tally_console_memory_bytes', 'The console process’s memory: resident set, V8 heap total and used, memory outside the heap, array buffers.', s.memory ? (['rss', 'heapTotal', 'heapUsed', 'external', 'arrayBuffers'] as const).map((k) => ({ labels: { kind: k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`) }, value: s.memory![k] })) : []),
  ]);
}

/** Several consoles: alert on `sum(tally_console_automating) != 1` across the desks' scrapes. */
function clusterFamilies(c: ClusterStatus | null): MetricFamily[] {
  if (!c) return [];
  const self = { console: c.self, mode: c.mode };
  return [
    gauge('tally_console_leader', 'Whether this console holds the leadership (always 1 for a single console).', [{ labels: self, value: flag(c.isLeader) }]),
    gauge('tally_console_automating', 'Whether this console runs automation now: it leads and its lease is good by its own clock.', [{ labels: self, value: flag(c.automating) }]),
    gauge('tally_console_etcd_reachable', 'Whether etcd answered this console’s last round (absent without etcd).', c.etcd ? [{ labels: { console: c.self, endpoint: c.etcd.endpoint }, value: flag(c.etcd.reachable) }] : []),
    gauge('tally_console_lease_remaining_seconds', 'How long this console’s etcd lease is good for without another keep-alive, by its own clock.', c.leaseLeftMs === null ? [] : [{ labels: { console: c.self }, value: c.leaseLeftMs / 1000 }]),
  ];
}

function hostFamilies({ hosts, nowMs }: ConsoleMetricsSnapshot): MetricFamily[] {
  const id = (h: HostView) => ({ host_id: h.id, host: h.name, role: h.role });
  return [
    gauge('tally_hosts', 'Hosts in the inventory.', [{ labels: {}, value: hosts.length }]),
    gauge('tally_host_health', "The detector's verdict on a host: 1 for its state, 0 for the others.", hosts.flatMap((h) => HealthState.options.map((state) => ({ labels: { ...id(h), state }, value: flag(h.health === state) })))),
    gauge('tally_host_link', "The console's connection to a host's agent: 1 for its state, 0 for the others.", hosts.flatMap((h) => LinkState.options.map((state) => ({ labels: { ...id(h), state }, value: flag(h.link === state) })))),
    gauge('tally_host_health_state_age_seconds', 'Seconds a host has been in its current health state.', hosts.map((h) => ({ labels: id(h), value: Math.max(0, nowMs - h.healthSince) / 1000 }))),
    gauge('tally_host_heartbeat_age_seconds', "Seconds since a host's agent last sent a heartbeat.", hosts.map((h) => ({ labels: id(h), value: h.lastHeartbeatAt === null ? null : Math.max(0, nowMs - h.lastHeartbeatAt) / 1000 }))),
    gauge('tally_host_fence_pending', 'Whether a host must have its stale channels stopped when its agent returns.', hosts.map((h) => ({ labels: id(h), value: flag(h.fencePending) }))),
  ];
}

const KINDS: FailoverOperation['kind'][] = ['automatic', 'manual', 'move-back'];
const OP_STATES: FailoverOperation['state'][] = ['running', 'done', 'failed'];

function failoverFamilies(operations: FailoverOperation[]): MetricFamily[] {
  // The newest finished operation of each kind: its timings are what an operator compares with DESIGN §6.
  const lastFinished = KINDS.map((kind) => ({ kind, op: operations.filter((o) => o.kind === kind && o.finishedAt !== null).sort((a, b) => a.startedAt - b.startedAt).at(-1) }));
  const timing = (pick: (o: FailoverOperation) => number | null) =>
    lastFinished.map(({ kind, op }) => ({ labels: { kind }, value: op ? pick(op) : null }));
  return [
    gauge('tally_failover_operations', 'Failover operations in the kept history, by kind and state.', KINDS.flatMap((kind) => OP_STATES.map((state) => ({ labels: { kind, state }, value: operations.filter((o) => o.kind === kind && o.state === state).length })))),
    gauge('tally_failover_last_duration_seconds', 'Start to finish of the newest finished operation of a kind.', timing((o) => (o.finishedAt! - o.startedAt) / 1000)),
    gauge('tally_failover_last_trigger_to_finish_seconds', 'Trigger (host declared down or operator confirmed) to finish of the newest finished operation.', timing((o) => (o.finishedAt! - o.triggeredAt) / 1000)),
    gauge('tally_failover_last_channels', 'Channels moved by the newest finished operation of a kind.', timing((o) => o.channels.length)),
    gauge('tally_failover_last_double_broadcast_seconds', 'Double-broadcast window of the newest finished operation (source return to its stale channels stopped).', timing((o) => (o.doubleBroadcastMs === null ? null : o.doubleBroadcastMs / 1000))),
  ];
}
