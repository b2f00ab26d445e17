/**
 * The failover calls of the UI contract: previews, the operation timeline, manual failover and move-back, role changes.
 * zod only, so api.ts can spread these maps and the renderer can use the shapes.
 */
import { z } from 'zod';

export const FailoverStep = z.object({
  at: z.number(),
  /** Milliseconds since the operation started. */
  offsetMs: z.number(),
  what: z.string(),
  channel: z.string().nullable(),
  ok: z.boolean(),
});
export type FailoverStep = z.infer<typeof FailoverStep>;

export const OperationChannel = z.object({
  name: z.string(),
  /** The config pushed to the target: the latest valid snapshot with its epoch raised. */
  hash: z.string().nullable(),
  fromEpoch: z.number(),
  toEpoch: z.number(),
  state: z.enum(['planned', 'pushed', 'running', 'verified', 'failed']),
  error: z.string().nullable(),
});

export const FailoverOperation = z.object({
  id: z.string(),
  kind: z.enum(['automatic', 'manual', 'move-back']),
  operator: z.string().nullable(),
  fromHostId: z.string(),
  fromHostName: z.string(),
  toHostId: z.string(),
  toHostName: z.string(),
  /** When the source host was declared down (automatic), or when the operator confirmed (manual). */
  triggeredAt: z.number(),
  startedAt: z.number(),
  finishedAt: z.number().nullable(),
  state: z.enum(['running', 'done', 'failed']),
  channels: z.array(OperationChannel),
  steps: z.array(FailoverStep).max(500),
  /** Set when the source host came back and its stale channels were stopped. */
  fencedAt: z.number().nullable(),
  /** From the source agent's return to its last stale channel stopped: the double-broadcast window. */
  doubleBroadcastMs: z.number().nullable(),
});
export type FailoverOperation = z.infer<typeof FailoverOperation>;

export const FailoverPreview = z.object({
  fromHostId: z.string(),
  possible: z.boolean(),
  /** In words: exactly what will happen, or why it cannot. */
  summary: z.string(),
  toHostId: z.string().nullable(),
  toHostName: z.string().nullable(),
  sameSwitch: z.boolean(),
  channels: z.array(z.object({ name: z.string(), hash: z.string(), fromEpoch: z.number(), toEpoch: z.number() })),
});
export type FailoverPreview = z.infer<typeof FailoverPreview>;

export const DnsSettings = z
  .object({
    server: z.object({ host: z.string().min(1), port: z.number().int().min(1).max(65535).default(53) }),
    key: z.object({ name: z.string().min(1).max(253), secretBase64: z.string().min(16) }),
    zone: z.string().min(1).max(253),
    ttlSec: z.number().int().min(1).max(86_400).default(30),
    /** Channel name → the DNS name its outputs are published under. */
    records: z.record(z.string(), z.string()),
  })
  .strict();
export type DnsSettings = z.infer<typeof DnsSettings>;

const hostId = z.object({ hostId: z.string().min(1).max(64) }).strict();

export const failoverQueries = {
  'failover.preview': { input: hostId, output: FailoverPreview },
  'failover.operations': { input: z.object({ limit: z.number().int().min(1).max(200).default(50) }).strict(), output: z.array(FailoverOperation) },
  'failover.dns.get': { input: z.object({}).strict(), output: DnsSettings.omit({ key: true }).extend({ keyName: z.string() }).nullable() },
} as const;

export const failoverCommands = {
  /** Planned maintenance: move a host's channels to a reserve now (the preview says what will happen). */
  'failover.run': { input: hostId, output: FailoverOperation },
  /** Move the channels back to the host they came from, once it is out of maintenance. */
  'failover.moveBack': { input: z.object({ operationId: z.string().min(1).max(64) }).strict(), output: FailoverOperation },
  'host.setRole': { input: hostId.extend({ role: z.enum(['main', 'reserve', 'maintenance']) }).strict(), output: z.object({ hostId: z.string(), role: z.string() }) },
  'failover.dns.set': { input: DnsSettings.nullable(), output: z.object({ saved: z.boolean() }) },
} as const;

export const failoverEvents = {
  'failover.changed': z.object({ operation: FailoverOperation }),
} as const;
