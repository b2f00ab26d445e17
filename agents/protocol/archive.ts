/**
 * Wire schemas of the archive role: its heartbeat part, its config section, and what peers and the console exchange
 * (index, hour digests, segment names, pull commands, resync jobs). Names are validated here so that no answer from
 * the wire can ever name a file outside a stream's folder.
 */
import { z } from 'zod';

/** A stream's folder name: letters, digits, dash, underscore; no dots, so never `.` or `..`. */
export const STREAM_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
/** A segment file: its start time in UTC to the millisecond, e.g. `20250101T101502.346Z.ts`. */
export const SEGMENT_NAME_PATTERN = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})\.(\d{3})Z\.ts$/;
/** An hour of the archive, UTC, e.g. `20250101T10`. */
export const HOUR_KEY_PATTERN = /^(\d{4})(\d{2})(\d{2})T(\d{2})$/;
/** A peer agent's address: `host:port` (IPv4, a DNS name, or a bracketed IPv6 address). */
export const PEER_ADDRESS_PATTERN = /^(?:[A-Za-z0-9.-]{1,253}|\[[0-9A-Fa-f:.]{2,45}\]):\d{1,5}$/;

export const MAX_WIRE_SEGMENT_BYTES = 1024 * 1024 * 1024;
export const MAX_SEGMENTS_PER_HOUR = 7200;
export const MAX_SEGMENTS_PER_PULL = 4096;
export const MAX_HOURS_PER_DIGEST_ANSWER = 24 * 400;
/** Largest JSON answer (index, digests) an agent reads from a peer. */
export const MAX_PEER_JSON_BYTES = 8 * 1024 * 1024;

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** The segment file name for a start time (UTC, millisecond precision). */
export function segmentNameForStartMs(startMs: number): string {
  const d = new Date(startMs);
  return (
    `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}` +
    `T${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}Z.ts`
  );
}

/** The start time a segment name encodes, or undefined if the name is not a real, canonical segment name. */
export function startMsOfSegmentName(name: string): number | undefined {
  const m = SEGMENT_NAME_PATTERN.exec(name);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, ms] = m.map(Number) as number[];
  const startMs = Date.UTC(y!, mo! - 1, d!, h!, mi!, s!, ms!);
  return segmentNameForStartMs(startMs) === name ? startMs : undefined;
}

export function hourKeyOfMs(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}T${pad(d.getUTCHours())}`;
}

export function hourKeyOfSegmentName(name: string): string {
  return name.slice(0, 11);
}

export function startMsOfHourKey(hour: string): number | undefined {
  const m = HOUR_KEY_PATTERN.exec(hour);
  if (!m) return undefined;
  const [, y, mo, d, h] = m.map(Number) as number[];
  const ms = Date.UTC(y!, mo! - 1, d!, h!);
  return hourKeyOfMs(ms) === hour ? ms : undefined;
}

export const StreamName = z.string().regex(STREAM_NAME_PATTERN, 'a stream name: letters, digits, dash, underscore');
export const SegmentName = z
  .string()
  .max(32)
  .refine((name) => startMsOfSegmentName(name) !== undefined, 'not a segment name (YYYYMMDDTHHMMSS.mmmZ.ts)');
export const HourKey = z.string().refine((hour) => startMsOfHourKey(hour) !== undefined, 'not an hour key (YYYYMMDDTHH)');
export const SegmentSha256 = z.string().regex(/^[0-9a-f]{64}$/, 'a lowercase sha256 in hex');
export const PeerAddress = z.string().regex(PEER_ADDRESS_PATTERN, 'host:port');

/** One line of a stream's index. `rot` is set when the file's bytes no longer match `sha256` (the recorded hash). */
export const SegmentEntry = z
  .object({
    name: SegmentName,
    startMs: z.number().int(),
    durationMs: z.number().int().min(0).max(3_600_000),
    sizeBytes: z.number().int().nonnegative().max(MAX_WIRE_SEGMENT_BYTES),
    sha256: SegmentSha256,
    rot: z.boolean().optional(),
  })
  .refine((e) => startMsOfSegmentName(e.name) === e.startMs, 'startMs does not match the segment name');
export type SegmentEntry = z.infer<typeof SegmentEntry>;

/** GET /v1/archive/index?stream=S&hour=H */
export const HourIndex = z
  .object({
    stream: StreamName,
    hour: HourKey,
    segments: z.array(SegmentEntry).max(MAX_SEGMENTS_PER_HOUR),
  })
  .refine((x) => x.segments.every((s) => hourKeyOfSegmentName(s.name) === x.hour), 'a segment outside the hour')
  .refine((x) => new Set(x.segments.map((s) => s.name)).size === x.segments.length, 'a segment listed twice');
export type HourIndex = z.infer<typeof HourIndex>;

/**
 * The line an hour digest hashes for one segment: content identity only (name, size, bytes' hash). An hour digest is
 * sha256 over these lines sorted by name; a set digest is sha256 over `${hour} ${digest}\n` lines sorted by hour.
 */
export function digestLineOf(entry: Pick<SegmentEntry, 'name' | 'sizeBytes' | 'sha256'>): string {
  return `${entry.name} ${entry.sizeBytes} ${entry.sha256}\n`;
}

export const HourDigest = z.object({
  hour: HourKey,
  segments: z.number().int().nonnegative(),
  bytes: z.number().int().nonnegative(),
  digest: SegmentSha256,
  /** Segments of the hour whose bytes no longer match the index (bit rot). */
  rotSegments: z.number().int().nonnegative(),
});
export type HourDigest = z.infer<typeof HourDigest>;

/** GET /v1/archive/digests?stream=S[&from=H&to=H] */
export const StreamDigests = z.object({
  stream: StreamName,
  digestVersion: z.number().int().nonnegative(),
  setDigest: SegmentSha256,
  hours: z.array(HourDigest).max(MAX_HOURS_PER_DIGEST_ANSWER),
});
export type StreamDigests = z.infer<typeof StreamDigests>;

/** POST /v1/archive/pull: fetch these segments of `stream` from `peer`. Answered at once with a job id. */
export const ArchivePullRequest = z.object({
  stream: StreamName,
  peer: z.object({ address: PeerAddress, token: z.string().min(16).max(512) }),
  segments: z
    .array(SegmentName)
    .min(1)
    .max(MAX_SEGMENTS_PER_PULL)
    .refine((names) => new Set(names).size === names.length, 'a segment listed twice'),
});
export type ArchivePullRequest = z.infer<typeof ArchivePullRequest>;

export const ArchivePullAccepted = z.object({ jobId: z.string() });
export type ArchivePullAccepted = z.infer<typeof ArchivePullAccepted>;

/** Two members hold different, self-consistent bytes under one segment name. Nothing is overwritten. */
export const SegmentConflictReport = z.object({
  stream: StreamName,
  name: SegmentName,
  localSha256: SegmentSha256,
  peerSha256: SegmentSha256,
  peer: z.string(),
});
export type SegmentConflictReport = z.infer<typeof SegmentConflictReport>;

export const ResyncJobState = z.enum(['running', 'done', 'partial', 'failed']);
export type ResyncJobState = z.infer<typeof ResyncJobState>;

export const ResyncJob = z.object({
  id: z.string(),
  stream: StreamName,
  peer: z.string(),
  state: ResyncJobState,
  startedAt: z.number(),
  finishedAt: z.number().nullable(),
  segmentsTotal: z.number().int().nonnegative(),
  /** Fetched, verified and renamed into place. */
  segmentsFetched: z.number().int().nonnegative(),
  /** Already present with the peer's bytes: nothing sent. */
  segmentsPresent: z.number().int().nonnegative(),
  /** Local copies with bit rot replaced by the peer's verified bytes. */
  segmentsRepaired: z.number().int().nonnegative(),
  bytesTotal: z.number().int().nonnegative(),
  bytesDone: z.number().int().nonnegative(),
  throughputBytesPerSec: z.number().nonnegative(),
  etaSec: z.number().nonnegative().nullable(),
  conflicts: z.array(SegmentConflictReport).max(64),
  conflictCount: z.number().int().nonnegative(),
  refused: z.array(z.object({ name: z.string().max(64).nullable(), reason: z.string().max(512) })).max(64),
  refusedCount: z.number().int().nonnegative(),
  error: z.string().max(1024).nullable(),
});
export type ResyncJob = z.infer<typeof ResyncJob>;

/** GET /v1/archive/jobs */
export const ResyncJobList = z.object({ jobs: z.array(ResyncJob).max(64) });
export type ResyncJobList = z.infer<typeof ResyncJobList>;

/** POST /v1/archive/verify: re-hash the stream's segments now (all, or the given hours). */
export const ArchiveVerifyRequest = z.object({ stream: StreamName, hours: z.array(HourKey).max(24 * 400).optional() });
export type ArchiveVerifyRequest = z.infer<typeof ArchiveVerifyRequest>;
export const ArchiveVerifyResult = z.object({
  stream: StreamName,
  checked: z.number().int().nonnegative(),
  rot: z.array(SegmentName),
});
export type ArchiveVerifyResult = z.infer<typeof ArchiveVerifyResult>;

/** POST /v1/archive/recording: start or stop this member's recorder of a configured stream (crash/recovery mode). */
export const ArchiveRecordingRequest = z.object({ stream: StreamName, record: z.boolean() });
export type ArchiveRecordingRequest = z.infer<typeof ArchiveRecordingRequest>;

export const RecorderState = z.enum(['off', 'starting', 'running', 'backoff']);
export type RecorderState = z.infer<typeof RecorderState>;

export const ArchiveStreamStatus = z.object({
  name: StreamName,
  recording: z.boolean(),
  recorderState: RecorderState,
  recorderRestarts: z.number().int().nonnegative(),
  recorderError: z.string().max(1024).nullable(),
  segments: z.number().int().nonnegative(),
  bytes: z.number().int().nonnegative(),
  oldestSegmentStartMs: z.number().nullable(),
  newestSegmentStartMs: z.number().nullable(),
  /** Raised whenever any hour digest of the stream changes; the console re-reads digests when it moves. */
  digestVersion: z.number().int().nonnegative(),
  /** sha256 over all hour digests: equal on two members ⇔ the same segments with the same bytes. */
  setDigest: SegmentSha256,
  hours: z.number().int().nonnegative(),
  rotSegments: z.number().int().nonnegative(),
  conflicts: z.number().int().nonnegative(),
});
export type ArchiveStreamStatus = z.infer<typeof ArchiveStreamStatus>;

export const ArchiveDiskUsage = z.object({
  sizeBytes: z.number().nonnegative(),
  usedBytes: z.number().nonnegative(),
  usedPct: z.number().min(0).max(100),
});
export type ArchiveDiskUsage = z.infer<typeof ArchiveDiskUsage>;

/** The archive role's part of a heartbeat. */
export const ArchiveStatus = z.object({
  root: z.string(),
  /** True while the startup scan is still hashing files it found on disk. */
  indexing: z.boolean(),
  disk: ArchiveDiskUsage.nullable(),
  streams: z.array(ArchiveStreamStatus).max(64),
  /** Active jobs and the most recent finished ones. */
  jobs: z.array(ResyncJob).max(16),
  /** Segment bytes served to peers since the agent started. */
  servedBytes: z.number().int().nonnegative(),
});
export type ArchiveStatus = z.infer<typeof ArchiveStatus>;

export const ArchiveStreamConfig = z.object({
  name: StreamName,
  /** ffmpeg input URL (udp://, rtmp://, srt://, http(s):// HLS). Read from the config file only, never from the wire. */
  input: z.string().min(1).max(2048),
  /** Whether this member records the stream at start; a replica that only copies from its peers says false. */
  record: z.boolean().default(true),
});
export type ArchiveStreamConfig = z.infer<typeof ArchiveStreamConfig>;

/** The `archive` section of the agent config file. */
export const ArchiveAgentConfig = z.object({
  /** Absolute path of the DVR tree: one folder per stream. */
  root: z.string().startsWith('/'),
  /** Where the index lives; defaults to `<root>/.tally-index`. */
  indexDir: z.string().startsWith('/').optional(),
  ffmpegPath: z.string().min(1).default('ffmpeg'),
  segmentSeconds: z.number().int().min(1).max(60).default(2),
  streams: z
    .array(ArchiveStreamConfig)
    .max(64)
    .default([])
    .refine((s) => new Set(s.map((x) => x.name)).size === s.length, 'stream names must be unique'),
  /** Largest segment accepted from a peer. */
  maxSegmentBytes: z.number().int().positive().max(MAX_WIRE_SEGMENT_BYTES).default(256 * 1024 * 1024),
  /** Segments fetched at once by one pull job. */
  pullConcurrency: z.number().int().min(1).max(32).default(4),
  /** If set, pull commands may name only these peers (`host:port`). */
  peers: z.array(PeerAddress).max(64).optional(),
  /** How often the tree is listed for new, vanished or changed files. */
  scanIntervalMs: z.number().int().min(200).max(600_000).default(5000),
  /** Background re-hash budget that finds bit rot in files nobody touched. 0 turns it off. */
  scrubBytesPerSec: z.number().int().nonnegative().default(8 * 1024 * 1024),
});
export type ArchiveAgentConfig = z.infer<typeof ArchiveAgentConfig>;
