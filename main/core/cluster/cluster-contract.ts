/**
 * Several consoles, one plant: which console leads (runs automatic failover and recovery-mode resync) and whether
 * this one may. zod only, so api.ts can spread these maps and the renderer can use the shapes.
 */
import { z } from 'zod';

export const ClusterStatus = z.object({
  /** single: no etcd configured, this console leads (one desk). etcd: consoles campaign through etcd. */
  mode: z.enum(['single', 'etcd']),
  /** This console's name, as the others see it. */
  self: z.string(),
  /** The leading console's name; null while nobody is known to lead (etcd unreachable, or between leaders). */
  leader: z.string().nullable(),
  isLeader: z.boolean(),
  /** This console runs automation now: it leads and its lease has not run out by its own clock. */
  automating: z.boolean(),
  leaseTtlSec: z.number().nullable(),
  /** How long this console's lease is good for without another keep-alive, by its own clock. */
  leaseLeftMs: z.number().nullable(),
  etcd: z.object({ endpoint: z.string(), reachable: z.boolean(), error: z.string().nullable() }).nullable(),
  /** When the leader last changed, as far as this console saw (epoch ms). */
  since: z.number(),
});
export type ClusterStatus = z.infer<typeof ClusterStatus>;

/**
 * "This host's channels have been moved away": written to etcd before anything moves, so no console fails the same
 * host over twice; deleted when the host has been fenced. Carries what any console needs to fence it.
 */
export const HostClaim = z.object({
  /** The host's agent address (host:port): the one name every console's inventory shares for it. */
  host: z.string(),
  operationId: z.string(),
  kind: z.enum(['automatic', 'manual', 'move-back']),
  console: z.string(),
  consoleId: z.string(),
  fromHostName: z.string(),
  toHost: z.string(),
  toHostName: z.string(),
  /** Channel → the epoch it runs with now; anything older on the host is stale. */
  channels: z.record(z.string(), z.number()),
  at: z.number(),
});
export type HostClaim = z.infer<typeof HostClaim>;

export const clusterQueries = {
  'cluster.status': { input: z.object({}).strict(), output: ClusterStatus },
} as const;

export const clusterCommands = {} as const;

export const clusterEvents = {
  'cluster.changed': ClusterStatus,
} as const;
