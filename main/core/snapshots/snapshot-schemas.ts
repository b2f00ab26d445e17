/**
 * Shapes of the config snapshot store: history entries as stored and shown, and the side-by-side diff.
 * zod only (no Node built-ins), so api.ts and the renderer can use them.
 */
import { z } from 'zod';
import { Sha256Hex } from '../../../agents/protocol/transcoder';

/** `console`: the console pushed this version; `host`: it appeared on the host out of band. */
export const SnapshotSource = z.enum(['console', 'host']);
export type SnapshotSource = z.infer<typeof SnapshotSource>;

export const SnapshotEntry = z.object({
  at: z.number(),
  hash: Sha256Hex,
  source: SnapshotSource,
  /** Who pushed it (console changes); null for host changes or when the operator is unknown. */
  operator: z.string().max(128).nullable(),
  bytes: z.number().int().nonnegative(),
  /** Whether the bytes are a valid channel config: failover and restore offer valid versions only. */
  valid: z.boolean(),
  problem: z.string().max(1024).nullable(),
  /** Free text such as "restored 3f2a… of 2026-05-01 12:00". */
  note: z.string().max(256).nullable(),
});
export type SnapshotEntry = z.infer<typeof SnapshotEntry>;

/** One (host, channel) history file. */
export const ChannelHistoryFile = z.object({
  format: z.literal(1),
  hostId: z.string().min(1).max(128),
  channel: z.string().min(1).max(128),
  /** Oldest entries dropped to keep the file bounded (their blobs stay). */
  prunedEntries: z.number().int().nonnegative(),
  entries: z.array(SnapshotEntry),
});
export type ChannelHistoryFile = z.infer<typeof ChannelHistoryFile>;

export const DiffLine = z.object({ line: z.number().int().positive(), text: z.string() });
export type DiffLine = z.infer<typeof DiffLine>;

/** One row of a side-by-side view: the left (older) and right (newer) line, either of which may be absent. */
export const DiffRow = z.object({
  kind: z.enum(['same', 'changed', 'removed', 'added']),
  left: DiffLine.nullable(),
  right: DiffLine.nullable(),
});
export type DiffRow = z.infer<typeof DiffRow>;

export const SideBySideDiff = z.object({
  rows: z.array(DiffRow),
  added: z.number().int().nonnegative(),
  removed: z.number().int().nonnegative(),
  changed: z.number().int().nonnegative(),
  identical: z.boolean(),
});
export type SideBySideDiff = z.infer<typeof SideBySideDiff>;
