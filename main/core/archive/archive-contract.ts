/**
 * The UI contract of archives: replica sets (a stream's archive on 2+ archive hosts) with their identity at a glance,
 * the hours that differ, missing time ranges per member, conflicts and resync jobs; storage groups with the members a
 * client would be handed. zod only, importable by the renderer; api.ts spreads these maps in with one line each.
 */
import { z } from 'zod';

const streamName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, 'a stream name');

export const ArchiveSettings = z.object({
  /** Recovery mode: pull what a member lacks by itself when it returns or the set diverges. */
  autoResync: z.boolean(),
  /** A gap left unrepaired longer than this raises an alert. */
  gapMaxAgeSec: z.number().int().min(10).max(86_400),
  /** A disk fuller than this raises an alert. */
  diskLimitPct: z.number().min(50).max(100),
  /** Segments younger than this are still propagating: not counted as missing yet. */
  settleSec: z.number().int().min(0).max(600),
});
export type ArchiveSettings = z.infer<typeof ArchiveSettings>;

export const DEFAULT_ARCHIVE_SETTINGS: ArchiveSettings = { autoResync: true, gapMaxAgeSec: 300, diskLimitPct: 90, settleSec: 6 };

export const IdentityView = z.object({
  state: z.enum(['identical', 'diverged', 'conflict', 'unknown']),
  fingerprint: z.string(),
  variants: z.number().int().nonnegative(),
});
export type IdentityView = z.infer<typeof IdentityView>;

export const TimeRangeView = z.object({ fromMs: z.number(), toMs: z.number(), segments: z.number().int(), bytes: z.number() });
export type TimeRangeView = z.infer<typeof TimeRangeView>;

export const ArchiveMemberView = z.object({
  hostId: z.string(),
  hostName: z.string(),
  healthy: z.boolean(),
  recording: z.boolean(),
  recorderState: z.string(),
  segments: z.number().int().nonnegative(),
  bytes: z.number().nonnegative(),
  newestSegmentStartMs: z.number().nullable(),
  /** Short fingerprint of the member's set digest; null when offline. */
  fingerprint: z.string().nullable(),
  agreesWithMajority: z.boolean(),
  rotSegments: z.number().int().nonnegative(),
  conflicts: z.number().int().nonnegative(),
  diskUsedPct: z.number().nullable(),
  /** What this member lacks (missing or rotten segments), as time ranges. */
  missing: z.array(TimeRangeView),
});
export type ArchiveMemberView = z.infer<typeof ArchiveMemberView>;

export const ResyncJobView = z.object({
  jobId: z.string(),
  hostId: z.string(),
  hostName: z.string(),
  stream: z.string(),
  peer: z.string(),
  state: z.enum(['pending', 'running', 'done', 'partial', 'failed']),
  startedAt: z.number(),
  finishedAt: z.number().nullable(),
  segmentsTotal: z.number().int().nonnegative(),
  segmentsDone: z.number().int().nonnegative(),
  bytesTotal: z.number().nonnegative(),
  bytesDone: z.number().nonnegative(),
  throughputBytesPerSec: z.number().nonnegative(),
  etaSec: z.number().nullable(),
  conflictCount: z.number().int().nonnegative(),
  error: z.string().nullable(),
});
export type ResyncJobView = z.infer<typeof ResyncJobView>;

export const ConflictView = z.object({
  name: z.string(),
  startMs: z.number(),
  variants: z.array(z.object({ sha256: z.string(), sizeBytes: z.number(), hostIds: z.array(z.string()) })),
});

export const ReplicaSetView = z.object({
  stream: streamName,
  identity: IdentityView,
  members: z.array(ArchiveMemberView),
  /** Hours whose digests differ, newest first, with why. */
  hoursThatDiffer: z.array(z.object({ hour: z.string(), reasons: z.array(z.string()) })),
  conflicts: z.array(ConflictView),
  /** Needed segments no member holds a good copy of. */
  unrepairable: z.number().int().nonnegative(),
  jobs: z.array(ResyncJobView),
  comparedAt: z.number().nullable(),
  compareError: z.string().nullable(),
});
export type ReplicaSetView = z.infer<typeof ReplicaSetView>;

export const StorageMemberView = z.object({
  hostId: z.string(),
  hostName: z.string(),
  healthy: z.boolean(),
  /** What a client would be handed: healthy and holding the group's content. */
  active: z.boolean(),
  fingerprint: z.string().nullable(),
  files: z.number().int().nonnegative(),
  bytes: z.number().nonnegative(),
  diskUsedPct: z.number().nullable(),
  error: z.string().nullable(),
});

export const StorageGroupView = z.object({
  group: z.string(),
  identity: IdentityView,
  members: z.array(StorageMemberView),
  active: z.array(z.string()),
});
export type StorageGroupView = z.infer<typeof StorageGroupView>;

export const ArchiveOverview = z.object({
  replicaSets: z.array(ReplicaSetView),
  storageGroups: z.array(StorageGroupView),
  settings: ArchiveSettings,
  builtAt: z.number(),
});
export type ArchiveOverview = z.infer<typeof ArchiveOverview>;

export const ResyncPreview = z.object({
  stream: streamName,
  pulls: z.array(
    z.object({
      hostId: z.string(),
      hostName: z.string(),
      sourceId: z.string(),
      sourceName: z.string(),
      segments: z.number().int(),
      bytes: z.number(),
      repairs: z.number().int(),
    }),
  ),
  blocked: z.number().int().nonnegative(),
  bytesTotal: z.number(),
  /** One sentence naming what will be pulled from whom, for the confirmation. */
  summary: z.string(),
});
export type ResyncPreview = z.infer<typeof ResyncPreview>;

const streamInput = z.object({ stream: streamName }).strict();

export const archiveQueries = {
  'archive.overview': { input: z.object({}).strict(), output: ArchiveOverview },
  /** Compares the set now (digests, then the indexes of the hours that differ) and says what a resync would pull. */
  'archive.resync.preview': { input: streamInput, output: ResyncPreview },
} as const;

export const archiveCommands = {
  'archive.resync': { input: streamInput, output: z.object({ started: z.array(ResyncJobView), preview: ResyncPreview }) },
  'archive.settings.update': { input: ArchiveSettings.partial().strict(), output: ArchiveSettings },
} as const;

export const archiveEvents = {
  /** The overview again when it changed (coalesced: at most about once a second). */
  'archive.changed': ArchiveOverview,
} as const;

export type ArchiveQueryName = keyof typeof archiveQueries;
export type ArchiveCommandName = keyof typeof archiveCommands;
