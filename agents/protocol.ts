/**
 * The wire contract between the console and a tally-agent. Both sides validate every message with these schemas.
 * Bump PROTOCOL_VERSION when a message changes shape; the console refuses agents of another major version.
 */
import { z } from 'zod';
import { ArchiveAgentConfig, ArchiveStatus } from './protocol/archive';
import { OriginAgentConfig, OriginStatus } from './protocol/origin';
import { StorageAgentConfig, StorageStatus } from './protocol/storage';
import { TranscoderAgentConfig, TranscoderStatus } from './protocol/transcoder';
import { TranscoderDelta } from './protocol/channel-delta';
import { fastHeartbeat } from './protocol/fast-heartbeat';

export * from './protocol/archive';
export * from './protocol/origin';
export * from './protocol/storage';
export * from './protocol/transcoder';
export * from './protocol/channel-delta';

export const PROTOCOL_VERSION = 1;
export const STREAM_PATH = '/v1/stream';
/** Largest message either side accepts on the stream (bytes). */
export const MAX_STREAM_MESSAGE_BYTES = 1024 * 1024;
/** Largest HTTP body an agent accepts on a command. */
export const MAX_COMMAND_BODY_BYTES = 256 * 1024;

export const RoleName = z.enum(['system', 'transcoder', 'origin', 'archive', 'storage']);
export type RoleName = z.infer<typeof RoleName>;

export const DiskStatus = z.object({
  mount: z.string(),
  sizeBytes: z.number().nonnegative(),
  usedBytes: z.number().nonnegative(),
  usedPct: z.number().min(0).max(100),
});

export const NicStatus = z.object({
  name: z.string(),
  up: z.boolean(),
  rxBytesPerSec: z.number().nonnegative(),
  txBytesPerSec: z.number().nonnegative(),
});

export const SystemStatus = z.object({
  hostname: z.string(),
  cpuPct: z.number().min(0).max(100),
  cpuCores: z.number().int().positive(),
  memUsedBytes: z.number().nonnegative(),
  memTotalBytes: z.number().nonnegative(),
  uptimeSec: z.number().nonnegative(),
  disks: z.array(DiskStatus).max(64),
  nics: z.array(NicStatus).max(64),
});
export type SystemStatus = z.infer<typeof SystemStatus>;

/** What a heartbeat carries: one optional part per role, each declared in protocol/<role>.ts. */
export const AgentStatus = z.object({
  system: SystemStatus.optional(),
  transcoder: TranscoderStatus.optional(),
  /** Instead of `transcoder`, only to a console that asked for deltas: see protocol/channel-delta.ts. */
  transcoderDelta: TranscoderDelta.optional(),
  origin: OriginStatus.optional(),
  archive: ArchiveStatus.optional(),
  storage: StorageStatus.optional(),
});
export type AgentStatus = z.infer<typeof AgentStatus>;

export const AgentEvent = z.object({
  at: z.number(),
  kind: z.string().min(1).max(64),
  message: z.string().max(4096),
});
export type AgentEvent = z.infer<typeof AgentEvent>;

export const HelloMessage = z.object({
  type: z.literal('hello'),
  protocol: z.number().int(),
  agentId: z.string().min(1).max(128),
  version: z.string().max(64),
  roles: z.array(RoleName),
  /** Changes every time the agent process starts, so the console can tell a restart from a reconnect. */
  epoch: z.string().min(1).max(64),
  heartbeatMs: z.number().int().positive(),
});
export type HelloMessage = z.infer<typeof HelloMessage>;

export const HeartbeatMessage = z.object({
  type: z.literal('heartbeat'),
  seq: z.number().int().nonnegative(),
  sentAt: z.number(),
  status: AgentStatus,
  events: z.array(AgentEvent).max(256).default([]),
});
export type HeartbeatMessage = z.infer<typeof HeartbeatMessage>;

/** The agent's answer to a message it could not accept. */
export const RejectedMessage = z.object({
  type: z.literal('rejected'),
  reason: z.string(),
});
export type RejectedMessage = z.infer<typeof RejectedMessage>;

export const AgentMessage = z.discriminatedUnion('type', [HelloMessage, HeartbeatMessage, RejectedMessage]);
export type AgentMessage = z.infer<typeof AgentMessage>;

/** Messages the console may send on the stream. */
export const ConsoleMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ping'), at: z.number() }),
  /** The console's heartbeat setting, applied by every agent it watches (timers are edited in the UI). */
  z.object({
    type: z.literal('configure'),
    heartbeatMs: z.number().int().min(100).max(10_000),
    /** The console understands `transcoderDelta` (protocol/channel-delta.ts). Older agents ignore it. */
    channelDeltas: z.boolean().optional(),
  }),
]);
export type ConsoleMessage = z.infer<typeof ConsoleMessage>;

/** The agent's config file. */
export const AgentConfig = z.object({
  agentId: z.string().min(1).max(128).regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, dot, dash, underscore'),
  listen: z.object({ host: z.string().default('0.0.0.0'), port: z.number().int().min(0).max(65535).default(7411) }),
  token: z.string().min(16, 'a token of at least 16 characters'),
  /** A read-only token that opens GET /metrics alone, for a Prometheus that should not hold the command token. */
  metricsToken: z.string().min(16, 'a metrics token of at least 16 characters').optional(),
  roles: z.array(RoleName).min(1).default(['system']),
  heartbeatMs: z.number().int().min(50).max(60_000).default(500),
  /** How often the system role samples CPU, memory, disks and NICs. */
  systemSampleMs: z.number().int().min(200).max(60_000).default(1000),
  /** Role sections, each declared in protocol/<role>.ts; required only when the role is switched on. */
  transcoder: TranscoderAgentConfig.optional(),
  origin: OriginAgentConfig.optional(),
  archive: ArchiveAgentConfig.optional(),
  storage: StorageAgentConfig.optional(),
});
export type AgentConfig = z.infer<typeof AgentConfig>;
export type AgentConfigInput = z.input<typeof AgentConfig>;

/** GET /v1/info — answered to any caller with the right token; also the console's API health check. */
export const AgentInfo = z.object({
  agentId: z.string(),
  version: z.string(),
  protocol: z.number().int(),
  roles: z.array(RoleName),
  epoch: z.string(),
  uptimeMs: z.number().nonnegative(),
});
export type AgentInfo = z.infer<typeof AgentInfo>;

export const ErrorBody = z.object({ error: z.string() });

/** POST /v1/probe — the console asks this agent to check another host from where it stands (indirect probe). */
export const ProbeRequest = z
  .object({
    target: z.string().regex(/^[A-Za-z0-9.-]+:\d{1,5}$|^\[[0-9a-fA-F:]+\]:\d{1,5}$/, 'host:port'),
    timeoutMs: z.number().int().min(50).max(5000).default(400),
  })
  .strict();
export type ProbeRequest = z.infer<typeof ProbeRequest>;

export const ProbeOutcome = z.enum(['ok', 'fail', 'unavailable']);
export const ProbeResponse = z.object({ api: ProbeOutcome, icmp: ProbeOutcome, tookMs: z.number() });
export type ProbeResponse = z.infer<typeof ProbeResponse>;

/** Turns a zod error into one line an operator can read. */
export function describeZodError(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length ? issue.path.join('.') : '(root)'}: ${issue.message}`)
    .join('; ');
}

/**
 * Parses one raw stream frame against a schema, or says exactly why it cannot. `fast` may vouch for a message as it
 * is (never reject one) before the schema is asked.
 */
export function parseFrame<T>(schema: z.ZodType<T>, raw: string, fast?: (json: unknown) => T | null): { ok: true; message: T } | { ok: false; reason: string } {
  if (raw.length > MAX_STREAM_MESSAGE_BYTES) return { ok: false, reason: `message of ${raw.length} bytes is over the limit` };
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (err) {
    return { ok: false, reason: `not JSON: ${(err as Error).message}` };
  }
  const vouched = fast?.(json);
  if (vouched) return { ok: true, message: vouched };
  const parsed = schema.safeParse(json);
  if (!parsed.success) return { ok: false, reason: describeZodError(parsed.error) };
  return { ok: true, message: parsed.data };
}

/** The console reads 2,000 of these a second at 1,000 hosts: heartbeats with a channel delta skip zod when they can. */
export const parseAgentMessage = (raw: string) => parseFrame<AgentMessage>(AgentMessage, raw, fastHeartbeat);
export const parseConsoleMessage = (raw: string) => parseFrame(ConsoleMessage, raw);
