/** Wire schemas of the origin role: its part of the heartbeat and its section of the agent config file. */
import { z } from 'zod';

/** The media servers an origin agent can read, one adapter each (agents/roles/origin/adapters.ts). */
export const OriginServerKind = z.enum(['nginx-rtmp', 'srs', 'mediamtx', 'flussonic']);
export type OriginServerKind = z.infer<typeof OriginServerKind>;

/** Most streams one heartbeat carries; `streamsTotal` says how many the server listed. */
export const MAX_ORIGIN_STREAMS = 2000;
/** The origin part of a heartbeat stays under this many bytes of JSON (the whole frame may not pass 1 MiB). */
export const MAX_ORIGIN_REPORT_BYTES = 512 * 1024;
export const MAX_STREAM_NAME_CHARS = 256;

export const VideoTrackInfo = z.object({
  codec: z.string().max(64),
  width: z.number().int().nonnegative().nullable(),
  height: z.number().int().nonnegative().nullable(),
  frameRate: z.number().nonnegative().nullable(),
  profile: z.string().max(64).nullable(),
  level: z.string().max(16).nullable(),
});
export type VideoTrackInfo = z.infer<typeof VideoTrackInfo>;

export const AudioTrackInfo = z.object({
  codec: z.string().max(64),
  sampleRateHz: z.number().int().nonnegative().nullable(),
  channels: z.number().int().nonnegative().nullable(),
  profile: z.string().max(64).nullable(),
});
export type AudioTrackInfo = z.infer<typeof AudioTrackInfo>;

/** One stream as the origin's media server reports it. */
export const OriginStream = z.object({
  /** Application (nginx-rtmp, SRS) or the path's folder (MediaMTX, Flussonic); '' when there is none. */
  app: z.string().max(MAX_STREAM_NAME_CHARS),
  name: z.string().min(1).max(MAX_STREAM_NAME_CHARS),
  /** A publisher is pushing this stream into this origin right now. */
  publishing: z.boolean(),
  /** Players/readers, the publisher not counted. */
  clients: z.number().int().nonnegative(),
  /** null: the server does not say and no second sample of its byte counters exists yet. */
  bitrateInKbps: z.number().nonnegative().nullable(),
  bitrateOutKbps: z.number().nonnegative().nullable(),
  uptimeSec: z.number().nonnegative().nullable(),
  video: VideoTrackInfo.nullable(),
  audio: AudioTrackInfo.nullable(),
});
export type OriginStream = z.infer<typeof OriginStream>;

/** `starting`: no poll answered yet; `error`: the last poll failed (the streams are the last ones seen). */
export const OriginApiState = z.enum(['starting', 'ok', 'error']);
export type OriginApiState = z.infer<typeof OriginApiState>;

/** The origin role's part of a heartbeat. */
export const OriginStatus = z.object({
  server: OriginServerKind,
  /** The API address polled, without credentials. */
  apiUrl: z.string().max(2048),
  state: OriginApiState,
  error: z.string().max(1024).nullable(),
  /** Agent clock (ms) of the last poll that answered; compare with the heartbeat's `sentAt`. */
  polledAt: z.number().nullable(),
  streams: z.array(OriginStream).max(MAX_ORIGIN_STREAMS),
  streamsTotal: z.number().int().nonnegative(),
});
export type OriginStatus = z.infer<typeof OriginStatus>;

export const OriginCredentials = z.discriminatedUnion('type', [
  z.object({ type: z.literal('basic'), username: z.string().min(1).max(256), password: z.string().max(1024) }),
  z.object({ type: z.literal('bearer'), token: z.string().min(1).max(4096) }),
]);
export type OriginCredentials = z.infer<typeof OriginCredentials>;

/** The `origin` section of the agent config file. */
export const OriginAgentConfig = z.object({
  server: OriginServerKind,
  /** Base address of the media server's HTTP API, e.g. http://127.0.0.1:1985 (SRS) or http://127.0.0.1:8080 (nginx). */
  apiUrl: z.url({ protocol: /^https?$/, error: 'an http:// or https:// address' }),
  /** The API path when it is not the server's usual one (nginx-rtmp's stat location is whatever nginx.conf says). */
  path: z.string().startsWith('/').max(512).optional(),
  pollMs: z.number().int().min(250).max(60_000).default(2000),
  timeoutMs: z.number().int().min(100).max(30_000).default(3000),
  /** Streams asked for per page (SRS `count`, MediaMTX `itemsPerPage`, Flussonic `limit`). */
  pageSize: z.number().int().min(1).max(10_000).default(500),
  credentials: OriginCredentials.optional(),
});
export type OriginAgentConfig = z.infer<typeof OriginAgentConfig>;
export type OriginAgentConfigInput = z.input<typeof OriginAgentConfig>;

/** The one name a stream has across origins of any kind: `app/name`, or `name` when there is no app. */
export function originStreamKey(stream: Pick<OriginStream, 'app' | 'name'>): string {
  return stream.app ? `${stream.app}/${stream.name}` : stream.name;
}
