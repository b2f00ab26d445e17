/**
 * Renders an agent's info and status as Prometheus text format (version 0.0.4) for `GET /metrics`. Pure: the agent
 * passes the same status its heartbeats carry, so Prometheus sees exactly what the console sees. Names follow the
 * Prometheus conventions (`tally_` prefix, base units in the name, `_total` on counters only); a value the agent does
 * not know (null) is left out rather than reported as 0.
 */
import { counter, gauge, type Labels, type MetricFamily, renderFamilies, type Sample } from '../lib/prometheus-text';
import type { AgentInfo, AgentStatus, ChannelState } from './protocol';

export { METRICS_CONTENT_TYPE } from '../lib/prometheus-text';

const one = (value: number | null | undefined, labels: Labels = {}): Sample[] => [{ labels, value }];
const seconds = (ms: number | null | undefined) => (typeof ms === 'number' ? ms / 1000 : null);
/** kbit/s (as ffmpeg and media servers report) to bytes per second, Prometheus' base unit for data rates (promtool lint). */
const bytesPerSecond = (kbps: number | null | undefined) => (typeof kbps === 'number' ? kbps * 125 : null);
const flag = (b: boolean) => (b ? 1 : 0);

const CHANNEL_STATES: ChannelState[] = ['starting', 'running', 'backoff', 'stopped', 'config-error'];

export function agentMetricsText(info: AgentInfo, status: AgentStatus, nowMs: number): string {
  return renderFamilies([
    gauge('tally_agent_info', 'The agent build and its roles; always 1.', one(1, { agent_id: info.agentId, version: info.version, protocol: String(info.protocol), roles: info.roles.join(',') })),
    gauge('tally_agent_uptime_seconds', 'Seconds since the agent process started.', one(info.uptimeMs / 1000)),
    ...systemFamilies(status),
    ...transcoderFamilies(status, nowMs),
    ...archiveFamilies(status),
    ...originFamilies(status),
    ...storageFamilies(status),
  ]);
}

function systemFamilies({ system }: AgentStatus): MetricFamily[] {
  if (!system) return [];
  const disk = (mount: string) => ({ mount });
  const nic = (name: string) => ({ nic: name });
  return [
    gauge('tally_system_cpu_usage_ratio', 'CPU busy over the last sample, 0 to 1 across all cores.', one(system.cpuPct / 100)),
    gauge('tally_system_cpu_cores', 'Logical CPU cores.', one(system.cpuCores)),
    gauge('tally_system_memory_used_bytes', 'Memory in use.', one(system.memUsedBytes)),
    gauge('tally_system_memory_total_bytes', 'Installed memory.', one(system.memTotalBytes)),
    gauge('tally_system_uptime_seconds', 'Seconds since the host booted.', one(system.uptimeSec)),
    gauge('tally_system_disk_size_bytes', 'Size of a mounted file system.', system.disks.map((d) => ({ labels: disk(d.mount), value: d.sizeBytes }))),
    gauge('tally_system_disk_used_bytes', 'Used space of a mounted file system.', system.disks.map((d) => ({ labels: disk(d.mount), value: d.usedBytes }))),
    gauge('tally_system_nic_up', 'Whether a network interface is up (1) or down (0).', system.nics.map((n) => ({ labels: nic(n.name), value: flag(n.up) }))),
    gauge('tally_system_nic_receive_bytes_per_second', 'Receive rate of a network interface.', system.nics.map((n) => ({ labels: nic(n.name), value: n.rxBytesPerSec }))),
    gauge('tally_system_nic_transmit_bytes_per_second', 'Transmit rate of a network interface.', system.nics.map((n) => ({ labels: nic(n.name), value: n.txBytesPerSec }))),
  ];
}

function transcoderFamilies({ transcoder }: AgentStatus, nowMs: number): MetricFamily[] {
  if (!transcoder) return [];
  const chans = transcoder.channels;
  const per = (pick: (c: (typeof chans)[number]) => number | null | undefined): Sample[] =>
    chans.map((c) => ({ labels: { channel: c.name }, value: pick(c) }));
  return [
    gauge('tally_transcoder_channels', 'Channels this agent supervises.', one(chans.length)),
    gauge(
      'tally_transcoder_channel_state',
      'The state of a channel: 1 for the state it is in, 0 for the others.',
      chans.flatMap((c) => CHANNEL_STATES.map((state) => ({ labels: { channel: c.name, state }, value: flag(c.state === state) }))),
    ),
    counter('tally_transcoder_channel_restarts_total', 'Automatic restarts of a channel since the agent started.', per((c) => c.restarts)),
    counter('tally_transcoder_channel_segments_total', 'HLS segments completed by a channel.', per((c) => c.segmentsCompleted)),
    gauge('tally_transcoder_channel_fps', 'Frames per second ffmpeg reports for a channel.', per((c) => c.fps)),
    gauge('tally_transcoder_channel_output_bytes_per_second', 'Output rate of a channel (its bitrate / 8).', per((c) => bytesPerSecond(c.bitrateKbps))),
    gauge('tally_transcoder_channel_speed_ratio', 'Encoding speed relative to real time (1 is real time).', per((c) => c.speed)),
    gauge('tally_transcoder_channel_uptime_seconds', 'Seconds the current ffmpeg process of a channel has run.', per((c) => seconds(c.uptimeMs))),
    gauge(
      'tally_transcoder_channel_last_output_age_seconds',
      'Seconds since ffmpeg last showed output advancing for a channel.',
      per((c) => (c.lastOutputAt === null ? null : Math.max(0, nowMs - c.lastOutputAt) / 1000)),
    ),
  ];
}

function archiveFamilies({ archive }: AgentStatus): MetricFamily[] {
  if (!archive) return [];
  type Stream = NonNullable<AgentStatus['archive']>['streams'][number];
  const per = (pick: (s: Stream) => number): Sample[] =>
    archive.streams.map((s) => ({ labels: { stream: s.name }, value: pick(s) }));
  const jobStates = ['running', 'done', 'partial', 'failed'] as const;
  return [
    gauge('tally_archive_indexing', 'Whether the startup scan is still hashing files (1) or done (0).', one(flag(archive.indexing))),
    gauge('tally_archive_disk_size_bytes', 'Size of the file system holding the archive.', one(archive.disk?.sizeBytes)),
    gauge('tally_archive_disk_used_bytes', 'Used space of the file system holding the archive.', one(archive.disk?.usedBytes)),
    gauge('tally_archive_stream_recording', 'Whether this member records a stream (1) or not (0).', per((s) => flag(s.recording))),
    gauge('tally_archive_stream_segments', 'Segments of a stream in the archive.', per((s) => s.segments)),
    gauge('tally_archive_stream_bytes', 'Bytes of a stream in the archive.', per((s) => s.bytes)),
    gauge('tally_archive_stream_rot_segments', 'Segments whose bytes no longer match their recorded hash.', per((s) => s.rotSegments)),
    gauge('tally_archive_stream_conflicts', 'Segments that differ from a peer with both copies self-consistent.', per((s) => s.conflicts)),
    counter('tally_archive_stream_recorder_restarts_total', 'Restarts of the recorder of a stream.', per((s) => s.recorderRestarts)),
    counter('tally_archive_served_bytes_total', 'Segment bytes served to peers since the agent started.', one(archive.servedBytes)),
    gauge(
      'tally_archive_resync_jobs',
      'Resync jobs the agent holds (active and recent finished ones) by state.',
      jobStates.map((state) => ({ labels: { state }, value: archive.jobs.filter((j) => j.state === state).length })),
    ),
    gauge(
      'tally_archive_resync_remaining_bytes',
      'Bytes still to fetch by running resync jobs.',
      one(archive.jobs.filter((j) => j.state === 'running').reduce((sum, j) => sum + Math.max(0, j.bytesTotal - j.bytesDone), 0)),
    ),
  ];
}

function originFamilies({ origin }: AgentStatus): MetricFamily[] {
  if (!origin) return [];
  type Stream = NonNullable<AgentStatus['origin']>['streams'][number];
  const labelsOf = (s: Stream) => ({ app: s.app, stream: s.name });
  const per = (pick: (s: Stream) => number | null): Sample[] =>
    origin.streams.map((s) => ({ labels: labelsOf(s), value: pick(s) }));
  return [
    gauge('tally_origin_api_up', "Whether the last poll of the media server's API answered (1) or not (0).", one(flag(origin.state === 'ok'), { server: origin.server })),
    gauge('tally_origin_streams', 'Streams the media server lists.', one(origin.streamsTotal)),
    gauge('tally_origin_stream_publishing', 'Whether a publisher pushes a stream into this origin (1) or not (0).', per((s) => flag(s.publishing))),
    gauge('tally_origin_stream_clients', 'Players reading a stream (the publisher not counted).', per((s) => s.clients)),
    gauge('tally_origin_stream_in_bytes_per_second', 'Incoming rate of a stream (its bitrate / 8).', per((s) => bytesPerSecond(s.bitrateInKbps))),
    gauge('tally_origin_stream_out_bytes_per_second', 'Outgoing rate of a stream to all players (bitrate / 8).', per((s) => bytesPerSecond(s.bitrateOutKbps))),
  ];
}

function storageFamilies({ storage }: AgentStatus): MetricFamily[] {
  if (!storage) return [];
  const group = { group: storage.group };
  return [
    gauge('tally_storage_files', 'Files under the content root.', one(storage.files, group)),
    gauge('tally_storage_bytes', 'Bytes under the content root.', one(storage.bytes, group)),
    gauge('tally_storage_digest_duration_seconds', 'How long the last digest of the content root took.', one(seconds(storage.digestMs), group)),
    gauge('tally_storage_disk_used_bytes', 'Used space of the file system holding the content root.', one(storage.disk?.usedBytes, group)),
  ];
}
