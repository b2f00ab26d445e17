/**
 * THE contract between the engine and any UI. Every query, command and event is declared here once with its zod
 * schemas; the Electron IPC transport and the `tally serve` HTTP/WebSocket transport both carry exactly this map.
 * This file must stay importable from the renderer: zod only, no Node built-ins.
 */
import { z } from 'zod';
import { findingsCommands, findingsEvents, findingsQueries } from './findings/findings-contract';
import { HostNetwork, networkCommands, networkEvents, networkQueries } from './network/network-contract';
import { originsCommands, originsEvents, originsQueries } from './origins/origins-contract';
import { archiveCommands, archiveEvents, archiveQueries } from './archive/archive-contract';
import { alertCommands, alertEvents, alertQueries } from './alerts/alerts-contract';
import { transcoderCommands, transcoderEvents, transcoderQueries } from './transcoders/transcoders-contract';
// The channel editor in the renderer validates field by field with the agent's own schema.
export { ChannelConfig, channelNameProblem, ChannelStatus, ChannelView, ConfigIssue, parseChannelConfigBytes, SideBySideDiff, SnapshotEntry, X264_PRESETS } from './transcoders/transcoders-contract';
export type { ChannelConfigInput, ChannelConfigParse, ChannelState } from './transcoders/transcoders-contract';
import { failoverCommands, failoverEvents, failoverQueries } from './failover/failover-contract';
export type { FailoverOperation, FailoverPreview, FailoverStep } from './failover/failover-contract';
import { clusterCommands, clusterEvents, clusterQueries } from './cluster/cluster-contract';
export type { ClusterStatus } from './cluster/cluster-contract';

// ---------------------------------------------------------------------------------------------------------------
// Shared shapes

export const HostKind = z.enum(['transcoder', 'origin', 'archive', 'storage', 'other']);
export type HostKind = z.infer<typeof HostKind>;

/** What the operator decided a host is for. */
export const HostRole = z.enum(['main', 'reserve', 'maintenance']);
export type HostRole = z.infer<typeof HostRole>;

/** What the failure detector believes. */
export const HealthState = z.enum(['unknown', 'ok', 'attention', 'down']);
export type HealthState = z.infer<typeof HealthState>;

/** The state of the console's connection to a host's agent. */
export const LinkState = z.enum(['connecting', 'connected', 'auth-failed', 'incompatible', 'disconnected']);
export type LinkState = z.infer<typeof LinkState>;

const hostAddress = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9.-]+:\d{1,5}$|^\[[0-9a-fA-F:]+\]:\d{1,5}$/, 'host:port, e.g. 10.0.0.5:7411');

const hostFields = {
  name: z.string().trim().min(1, 'a name is required').max(64),
  address: hostAddress,
  token: z.string().min(16, 'the agent token has at least 16 characters').max(256),
  kind: HostKind,
  role: HostRole,
  group: z.string().trim().max(64),
};
export const HostSpec = z.object({
  ...hostFields,
  kind: hostFields.kind.default('transcoder'),
  role: hostFields.role.default('main'),
  group: hostFields.group.default(''),
});
/** A change to some fields of a host. Built without defaults: zod's partial() would fill them in and reset fields. */
export const HostPatch = z.object(hostFields).partial();
export type HostSpec = z.infer<typeof HostSpec>;
export type HostSpecInput = z.input<typeof HostSpec>;

export const Host = HostSpec.extend({ id: z.string().min(1).max(64) });
export type Host = z.infer<typeof Host>;

export const SystemSummary = z.object({
  hostname: z.string(),
  cpuPct: z.number(),
  memPct: z.number(),
  memUsedBytes: z.number(),
  memTotalBytes: z.number(),
  diskMaxPct: z.number(),
  cpuCores: z.number(),
  uptimeSec: z.number(),
});
export type SystemSummary = z.infer<typeof SystemSummary>;

/** A host as any UI sees it: never carries the agent token. */
export const HostView = z.object({
  id: z.string(),
  name: z.string(),
  address: z.string(),
  kind: HostKind,
  role: HostRole,
  group: z.string(),
  health: HealthState,
  healthSince: z.number(),
  /** Why the detector holds this state, in words (what the probes saw). */
  healthReason: z.string().nullable(),
  link: LinkState,
  linkError: z.string().nullable(),
  agentVersion: z.string().nullable(),
  agentRoles: z.array(z.string()),
  lastHeartbeatAt: z.number().nullable(),
  system: SystemSummary.nullable(),
  /** The network's verdict (reachable, degraded, unreachable behind a dead switch); absent without uplinks on record. */
  network: HostNetwork.optional(),
  /** Its channels were failed over elsewhere; when its agent returns, its stale channels are stopped first. */
  fencePending: z.boolean().default(false),
});
export type HostView = z.infer<typeof HostView>;

export const Severity = z.enum(['critical', 'major', 'minor', 'warning', 'info']);
export type Severity = z.infer<typeof Severity>;

export const JournalEntry = z.object({
  id: z.string(),
  at: z.number(),
  kind: z.string(),
  severity: Severity,
  message: z.string(),
  hostId: z.string().nullable().default(null),
  operator: z.string().nullable().default(null),
  data: z.record(z.string(), z.unknown()).optional(),
});
export type JournalEntry = z.infer<typeof JournalEntry>;

/** The detector's timers (seed 001's t_main, t_add and n, plus our heartbeat); editable in the UI. */
export const HealthSettings = z
  .object({
    /** How often agents send a heartbeat. */
    heartbeatMs: z.number().int().min(100).max(10_000),
    /** Silence after which a host is suspected (attention) and probing starts. */
    suspectAfterMs: z.number().int().min(200).max(60_000),
    /** Spacing of the confirmation probe rounds (seed 001's t_add). */
    tAddMs: z.number().int().min(100).max(60_000),
    /** Probe rounds nobody answers before a host is down (seed 001's n). */
    confirmChecks: z.number().int().min(1).max(10),
    /** How long one probe may take. */
    checkTimeoutMs: z.number().int().min(50).max(30_000),
    /** API check of healthy hosts (seed 001's t_main). */
    tMainMs: z.number().int().min(500).max(300_000),
  })
  .refine((s) => s.suspectAfterMs >= 2 * s.heartbeatMs, {
    message: 'suspect after at least two missed heartbeats',
    path: ['suspectAfterMs'],
  })
  .refine((s) => s.checkTimeoutMs < s.tAddMs, {
    message: 'a probe must finish before the next round starts',
    path: ['checkTimeoutMs'],
  });
export type HealthSettings = z.infer<typeof HealthSettings>;

export const Settings = z.object({
  health: HealthSettings,
  wall: z.object({
    displayId: z.number().int().nullable().default(null),
    rotateSec: z.number().int().min(5).max(600).default(20),
  }),
});
export type Settings = z.infer<typeof Settings>;

export const MetricName = z.enum(['cpuPct', 'memPct']);
export type MetricName = z.infer<typeof MetricName>;
export const MetricPoint = z.tuple([z.number(), z.number()]);

export const SessionInfo = z.object({
  access: z.enum(['viewer', 'operator']),
  operator: z.string().nullable(),
  transport: z.enum(['ipc', 'http']),
});
export type SessionInfo = z.infer<typeof SessionInfo>;

export const FleetStatus = z.object({
  /** The console hears from almost nobody: it fails nothing over until that clears. */
  isolated: z.boolean(),
  monitored: z.number(),
  silent: z.number(),
});
export type FleetStatus = z.infer<typeof FleetStatus>;

// ---------------------------------------------------------------------------------------------------------------
// The map. The core calls are declared here; each domain declares its own in <domain>/<domain>-contract.ts
// (zod only, importable by the renderer) and is spread in below — one line per domain in each map.

const empty = z.object({}).strict();
const hostId = z.object({ id: z.string().min(1).max(64) }).strict();

export const queries = {
  'session.get': { input: empty, output: SessionInfo },
  'hosts.list': { input: empty, output: z.array(HostView) },
  'host.metrics': {
    input: z.object({ id: z.string().min(1).max(64), metric: MetricName }).strict(),
    output: z.array(MetricPoint),
  },
  'journal.recent': {
    input: z.object({ limit: z.number().int().min(1).max(1000).default(200) }).strict(),
    output: z.array(JournalEntry),
  },
  'settings.get': { input: empty, output: Settings },
  'fleet.status': { input: empty, output: FleetStatus },
  // domain queries:
  ...transcoderQueries,
  ...failoverQueries,
  ...clusterQueries,
  ...findingsQueries,
  ...originsQueries,
  ...archiveQueries,
  ...networkQueries,
  ...alertQueries,
} as const;

export const commands = {
  'host.add': { input: HostSpec.strict(), output: HostView },
  'host.update': {
    input: z.object({ id: z.string().min(1).max(64), patch: HostPatch.strict() }).strict(),
    output: HostView,
  },
  'host.remove': { input: hostId, output: z.object({ removed: z.string() }) },
  'journal.note': { input: z.object({ text: z.string().trim().min(1).max(4000) }).strict(), output: JournalEntry },
  'settings.update': { input: Settings.partial().strict(), output: Settings },
  // domain commands:
  ...transcoderCommands,
  ...failoverCommands,
  ...clusterCommands,
  ...findingsCommands,
  ...originsCommands,
  ...archiveCommands,
  ...networkCommands,
  ...alertCommands,
} as const;

export const events = {
  /** Hosts whose view changed since the last batch (coalesced, at most a few times a second). */
  'hosts.changed': z.object({ hosts: z.array(HostView) }),
  'host.removed': z.object({ id: z.string() }),
  'journal.appended': z.object({ entry: JournalEntry }),
  'settings.changed': z.object({ settings: Settings }),
  'fleet.status': FleetStatus,
  // domain events:
  ...transcoderEvents,
  ...failoverEvents,
  ...clusterEvents,
  ...findingsEvents,
  ...originsEvents,
  ...archiveEvents,
  ...networkEvents,
  ...alertEvents,
} as const;

// ---------------------------------------------------------------------------------------------------------------
// Types derived from the map — never written twice

export type Queries = typeof queries;
export type Commands = typeof commands;
export type Events = typeof events;
export type QueryName = keyof Queries;
export type CommandName = keyof Commands;
export type EventName = keyof Events;

export type QueryInput<K extends QueryName> = z.input<Queries[K]['input']>;
export type QueryOutput<K extends QueryName> = z.output<Queries[K]['output']>;
export type CommandInput<K extends CommandName> = z.input<Commands[K]['input']>;
export type CommandOutput<K extends CommandName> = z.output<Commands[K]['output']>;
export type EventPayload<K extends EventName> = z.output<Events[K]>;

export type TallyEvent = { [K in EventName]: { type: K; payload: EventPayload<K> } }[EventName];

/** Who is calling: the transport fills this in from the token (HTTP) or the window (IPC). */
export interface CallContext {
  access: 'viewer' | 'operator';
  operator: string | null;
  transport: 'ipc' | 'http';
}

export type QueryHandlers = {
  [K in QueryName]: (input: z.output<Queries[K]['input']>, ctx: CallContext) => Promise<QueryOutput<K>>;
};
export type CommandHandlers = {
  [K in CommandName]: (input: z.output<Commands[K]['input']>, ctx: CallContext) => Promise<CommandOutput<K>>;
};
export interface Handlers {
  queries: QueryHandlers;
  commands: CommandHandlers;
}

/** What the renderer is given at start-up; it never knows which transport is behind it. */
export interface Transport {
  query<K extends QueryName>(name: K, input: QueryInput<K>): Promise<QueryOutput<K>>;
  command<K extends CommandName>(name: K, input: CommandInput<K>): Promise<CommandOutput<K>>;
  subscribe(listener: (event: TallyEvent) => void): () => void;
}

/** The narrow object the Electron preload exposes as `window.tally`. */
export interface PreloadBridge {
  query(name: string, input: unknown): Promise<unknown>;
  command(name: string, input: unknown): Promise<unknown>;
  onEvent(listener: (event: unknown) => void): () => void;
}

export function isQueryName(name: string): name is QueryName {
  return Object.hasOwn(queries, name);
}
export function isCommandName(name: string): name is CommandName {
  return Object.hasOwn(commands, name);
}

/** The one state an operator reads off a tile: the link problem if there is one, else the health, else the role. */
export type DisplayState = 'ok' | 'attention' | 'down' | 'unknown' | 'auth-failed' | 'incompatible' | 'maintenance' | 'reserve' | 'unreachable' | 'fence-pending';
export function displayState(host: HostView): DisplayState {
  if (host.fencePending && host.health !== 'ok') return 'fence-pending';
  if (host.role === 'maintenance') return 'maintenance';
  // Silent and every uplink down: cut off behind the network, not necessarily dead (no failover on that alone).
  if (host.network?.reachability === 'unreachable' && host.health !== 'ok') return 'unreachable';
  if (host.link === 'auth-failed') return 'auth-failed';
  if (host.link === 'incompatible') return 'incompatible';
  if (host.health === 'ok' && host.role === 'reserve') return 'reserve';
  return host.health;
}
