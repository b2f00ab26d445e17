/** The stream × origin matrix as any UI sees it. zod only (api.ts can re-export it). */
import { z } from 'zod';
import { OriginServerKind } from '../../../agents/protocol/origin';

/**
 * ok: the origin's agent reports and its media server answers. api-error: the media server cannot be read.
 * host-down: the console has lost the host. no-report: the host runs no origin role (or has not reported yet).
 * starting: the agent has not read its server yet. Only `ok` origins count towards a stream's redundancy.
 */
export const OriginState = z.enum(['ok', 'api-error', 'host-down', 'no-report', 'starting']);
export type OriginState = z.infer<typeof OriginState>;

export const OriginColumn = z.object({
  hostId: z.string(),
  hostName: z.string(),
  server: OriginServerKind.nullable(),
  state: OriginState,
  error: z.string().nullable(),
  /** Streams with a publisher on this origin. */
  publishingCount: z.number().int().nonnegative(),
  /** The server listed more streams than the report carries. */
  truncated: z.boolean(),
});
export type OriginColumn = z.infer<typeof OriginColumn>;

export const MatrixCell = z.object({
  publishing: z.boolean(),
  clients: z.number().int().nonnegative(),
  bitrateInKbps: z.number().nonnegative().nullable(),
  bitrateOutKbps: z.number().nonnegative().nullable(),
  /** Publishing on an origin in state `ok`: this cell counts towards minOrigins. */
  live: z.boolean(),
});
export type MatrixCell = z.infer<typeof MatrixCell>;

export const StreamRow = z.object({
  /** `app/name` (originStreamKey). */
  key: z.string(),
  app: z.string(),
  name: z.string(),
  /** Origin host id → cell; origins that do not list the stream have no cell. */
  cells: z.record(z.string(), MatrixCell),
  /** Host ids of the origins where the stream is live, sorted by origin name. */
  liveOn: z.array(z.string()),
  clients: z.number().int().nonnegative(),
  /** "H264 1920×1080 25 fps" / "AAC 48 kHz 2 ch", from a live cell when there is one. */
  video: z.string().nullable(),
  audio: z.string().nullable(),
  /** The stream is expected (e.g. a channel's output) even if no origin lists it. */
  expected: z.boolean(),
});
export type StreamRow = z.infer<typeof StreamRow>;

export const OriginMatrix = z.object({
  origins: z.array(OriginColumn),
  streams: z.array(StreamRow),
});
export type OriginMatrix = z.infer<typeof OriginMatrix>;

export const OriginSettings = z.object({
  /** Origins each stream must be live on (2 = hot backup, seed 003). */
  minOrigins: z.number().int().min(1).max(16).default(2),
  /** Per-stream exceptions, by `app/name`. */
  minOriginsByStream: z.record(z.string(), z.number().int().min(0).max(16)).default({}),
});
export type OriginSettings = z.infer<typeof OriginSettings>;
export const DEFAULT_ORIGIN_SETTINGS: OriginSettings = OriginSettings.parse({});
