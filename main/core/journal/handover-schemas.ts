/**
 * The shift report: what the outgoing shift hands to the incoming one for a time window. zod only (no Node), so
 * api.ts can re-export it for a `handover.report` query.
 */
import { z } from 'zod';
import { Severity } from '../severity';

const timeMs = z.number().int().nonnegative();

export const HandoverWindow = z
  .object({ fromMs: timeMs, toMs: timeMs })
  .refine((w) => w.toMs > w.fromMs, { message: 'the window ends after it starts', path: ['toMs'] });
export type HandoverWindow = z.infer<typeof HandoverWindow>;

export const ShiftOperator = z.object({
  name: z.string(),
  /** The first sign-in within the window, if the operator signed in during it. */
  signedInAtMs: timeMs.nullable(),
  firstSeenAtMs: timeMs,
  lastSeenAtMs: timeMs,
  actionCount: z.number().int().nonnegative(),
});
export type ShiftOperator = z.infer<typeof ShiftOperator>;

export const IncidentAck = z.object({ by: z.string(), atMs: timeMs, comment: z.string() });
export type IncidentAck = z.infer<typeof IncidentAck>;

export const Incident = z.object({
  /** The alert id, or `host:<id>@<start>` for a host outage without an alert. */
  id: z.string(),
  source: z.enum(['alert', 'host']),
  title: z.string(),
  severity: Severity,
  hostId: z.string().nullable(),
  key: z.string().nullable(),
  startAtMs: timeMs,
  /** The start lies before the window: startAtMs is the real start if known, else the window's start. */
  startedBeforeWindow: z.boolean(),
  /** null: still open at the end of the window. */
  endAtMs: timeMs.nullable(),
  /** Up to the end, or up to the end of the window if still open. */
  durationMs: z.number().int().nonnegative(),
  acks: z.array(IncidentAck),
  resolvedBy: z.string().nullable(),
  flapping: z.boolean(),
  /** Recorded while quiet: the host was in maintenance or a silence matched. */
  quietReason: z.enum(['maintenance', 'silence']).nullable(),
  /** Titles of the alerts folded under this root cause (the hosts behind a dead switch). */
  folded: z.array(z.string()),
});
export type Incident = z.infer<typeof Incident>;

export const ActionOutcome = z.enum(['ok', 'failed', 'pending', 'recorded']);
export type ActionOutcome = z.infer<typeof ActionOutcome>;

export const OperatorAction = z.object({
  entryId: z.string(),
  atMs: timeMs,
  operator: z.string(),
  kind: z.string(),
  hostId: z.string().nullable(),
  message: z.string(),
  outcome: ActionOutcome,
  outcomeDetail: z.string().nullable(),
});
export type OperatorAction = z.infer<typeof OperatorAction>;

export const OutOfBandChange = z.object({ entryId: z.string(), atMs: timeMs, hostId: z.string().nullable(), message: z.string() });
export type OutOfBandChange = z.infer<typeof OutOfBandChange>;

export const HandoverNote = z.object({ entryId: z.string(), atMs: timeMs, operator: z.string().nullable(), text: z.string() });
export type HandoverNote = z.infer<typeof HandoverNote>;

export const ActiveSilence = z.object({ id: z.string(), what: z.string(), createdBy: z.string(), comment: z.string(), expiresAtMs: timeMs });
export type ActiveSilence = z.infer<typeof ActiveSilence>;

export const SignOff = z.object({
  operator: z.string().min(1).max(64),
  atMs: timeMs,
  comment: z.string().max(4000),
  /** sha256 of the report as signed (without this sign-off): proves what the operator signed. */
  reportSha256: z.string().regex(/^[0-9a-f]{64}$/),
});
export type SignOff = z.infer<typeof SignOff>;

export const HandoverReport = z.object({
  window: HandoverWindow,
  generatedAtMs: timeMs,
  /** Host id → name, for rendering. */
  hostNames: z.record(z.string(), z.string()),
  operators: z.array(ShiftOperator),
  /** Every incident that overlaps the window, oldest first; the still-open ones have endAtMs null. */
  incidents: z.array(Incident),
  actions: z.array(OperatorAction),
  outOfBandChanges: z.array(OutOfBandChange),
  notes: z.array(HandoverNote),
  silences: z.array(ActiveSilence),
  maintenanceHostIds: z.array(z.string()),
  /** Journal lines that could not be read: the report says so rather than pretending to be complete. */
  damagedJournalLines: z.number().int().nonnegative(),
  signOff: SignOff.nullable(),
});
export type HandoverReport = z.infer<typeof HandoverReport>;
