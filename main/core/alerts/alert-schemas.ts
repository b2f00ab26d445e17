/**
 * The shapes of the alert engine: alerts, silences, the events it is fed, the effects it asks the shell to perform,
 * and its whole state (so the shell can persist silences and open alerts across restarts).
 * zod only, importable from the renderer; api.ts re-exports what the UI needs.
 */
import { z } from 'zod';
import { Severity } from '../severity';

const id = z.string().min(1).max(200);
const timeMs = z.number().int().nonnegative();

export const AlertStatus = z.enum(['firing', 'acknowledged', 'resolved']);
export type AlertStatus = z.infer<typeof AlertStatus>;

export const Acknowledgement = z.object({
  by: z.string().min(1).max(64),
  atMs: timeMs,
  comment: z.string().max(4000),
});
export type Acknowledgement = z.infer<typeof Acknowledgement>;

/** Why an open alert is recorded but neither notified nor sounded. */
export const Suppression = z.discriminatedUnion('reason', [
  z.object({ reason: z.literal('maintenance'), hostId: id }),
  z.object({
    reason: z.literal('parent'),
    /** The root-cause alert this one is folded under (a dead switch's alert, say). */
    rootAlertId: id,
    parentHostIds: z.array(id),
    /** Set when the parents came back: the fold holds until then so a recovering plant does not notify a storm. */
    heldUntilMs: timeMs.nullable(),
  }),
  z.object({ reason: z.literal('silence'), silenceId: id }),
]);
export type Suppression = z.infer<typeof Suppression>;

export const ResolveReason = z.enum(['cleared', 'manual', 'flapping-stopped', 'host-removed']);
export type ResolveReason = z.infer<typeof ResolveReason>;

export const Alert = z.object({
  id,
  /** Dedup key: at most one open alert per key, e.g. `host:h-1:health`. */
  key: id,
  /** What kind of condition, e.g. `host.health`, `host.link`, `origin.redundancy`; silences can match it. */
  kind: z.string().min(1).max(100),
  severity: Severity,
  hostId: id.nullable(),
  summary: z.string().max(500),
  /** This alert says its host itself is down or unreachable: its children fold under it. */
  hostDown: z.boolean(),
  status: AlertStatus,
  firedAtMs: timeMs,
  lastSeenAtMs: timeMs,
  /** How many raises were folded into this alert by the dedup key. */
  raiseCount: z.number().int().positive(),
  ack: Acknowledgement.nullable(),
  resolvedAtMs: timeMs.nullable(),
  resolvedBy: z.string().nullable(),
  resolveReason: ResolveReason.nullable(),
  flapping: z.boolean(),
  flappingSinceMs: timeMs.nullable(),
  suppressedBy: Suppression.nullable(),
  /** The worst severity a notification was sent for; a later escalation past it notifies again. */
  notifiedSeverity: Severity.nullable(),
});
export type Alert = z.infer<typeof Alert>;

/** Every given field must match (AND). An empty matcher would silence everything, so one field at least is required. */
export const SilenceMatcher = z
  .object({
    keyPrefix: z.string().min(1).max(200).optional(),
    hostId: id.optional(),
    severity: z.array(Severity).min(1).optional(),
    kind: z.string().min(1).max(100).optional(),
  })
  .strict()
  .refine((m) => Object.values(m).some((v) => v !== undefined), { message: 'a silence needs at least one matcher field' });
export type SilenceMatcher = z.infer<typeof SilenceMatcher>;

export const Silence = z.object({
  id,
  matcher: SilenceMatcher,
  createdBy: z.string().min(1).max(64),
  comment: z.string().max(4000),
  createdAtMs: timeMs,
  expiresAtMs: timeMs,
});
export type Silence = z.infer<typeof Silence>;

export const AlertSettings = z.object({
  /** Transitions (raised↔cleared) of one key within the window that make it flapping. */
  flapTransitions: z.number().int().min(2).max(1000).default(4),
  flapWindowMs: z.number().int().min(1000).max(86_400_000).default(300_000),
  /** A flapping alert settles after this long without a transition. */
  flapQuietMs: z.number().int().min(1000).max(86_400_000).default(300_000),
  /** How long children stay folded after their parent came back (they usually recover within seconds). */
  parentGraceMs: z.number().int().min(0).max(3_600_000).default(15_000),
  notifySeverities: z.array(Severity).default(['critical', 'major']),
  soundSeverities: z.array(Severity).default(['critical']),
  /** Resolved alerts kept in the state for the UI and the handover report; the journal keeps them all. */
  historyLimit: z.number().int().min(0).max(100_000).default(500),
});
export type AlertSettings = z.infer<typeof AlertSettings>;
export const DEFAULT_ALERT_SETTINGS: AlertSettings = AlertSettings.parse({});

/** What the engine remembers about a key's condition, for flapping. */
export const KeyCondition = z.object({
  key: id,
  raised: z.boolean(),
  /** Transition times within the flap window, oldest first. */
  transitionsAtMs: z.array(timeMs),
  lastTransitionAtMs: timeMs,
});
export type KeyCondition = z.infer<typeof KeyCondition>;

/** Arrays rather than records keyed by id: a step copies them, and copying a large array is far cheaper than an object. */
export const AlertEngineState = z.object({
  /** Open (firing or acknowledged) alerts, at most one per dedup key, oldest first. */
  open: z.array(Alert),
  /** Resolved alerts, oldest first, at most settings.historyLimit. */
  history: z.array(Alert),
  silences: z.array(Silence),
  maintenanceHostIds: z.array(id),
  /** Child host → the hosts it depends on (its switches). The child folds only when every parent is down. */
  parents: z.record(z.string(), z.array(id)),
  conditions: z.array(KeyCondition),
  /** The wall's mute switch. */
  muted: z.boolean(),
  soundOn: z.boolean(),
  seq: z.number().int().nonnegative(),
  settings: AlertSettings,
});
export type AlertEngineState = z.infer<typeof AlertEngineState>;

// ---------------------------------------------------------------------------------------------------------------
// Events: what the shell feeds the engine

const operator = z.string().trim().min(1).max(64);

export const AlertEvent = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('raise'),
    key: id,
    kind: z.string().min(1).max(100),
    severity: Severity,
    hostId: id.nullable(),
    summary: z.string().max(500),
    hostDown: z.boolean().optional(),
  }),
  z.object({ type: z.literal('clear'), key: id }),
  z.object({ type: z.literal('ack'), alertId: id, operator, comment: z.string().max(4000) }),
  z.object({ type: z.literal('resolve'), alertId: id, operator, comment: z.string().max(4000) }),
  z.object({
    type: z.literal('silence.add'),
    matcher: SilenceMatcher,
    operator,
    comment: z.string().max(4000),
    expiresAtMs: timeMs,
  }),
  z.object({ type: z.literal('silence.remove'), silenceId: id, operator }),
  z.object({ type: z.literal('maintenance'), hostId: id, on: z.boolean() }),
  /** Replaces all parent links: child host id → parent host ids. */
  z.object({ type: z.literal('topology'), parents: z.record(z.string(), z.array(id)) }),
  z.object({ type: z.literal('mute'), muted: z.boolean(), operator }),
  z.object({ type: z.literal('configure'), settings: AlertSettings }),
  z.object({ type: z.literal('host.removed'), hostId: id, operator: operator.nullable() }),
  /** Moves time on: silence expiry, flapping quiet periods, parent grace. Send it every second or so. */
  z.object({ type: z.literal('tick') }),
]);
export type AlertEvent = z.infer<typeof AlertEvent>;

// ---------------------------------------------------------------------------------------------------------------
// Effects: what the shell must do

/** Structurally a JournalInput of journal.ts, so the shell can append it as it is. */
export const AlertJournalInput = z.object({
  kind: z.string(),
  severity: Severity,
  message: z.string(),
  hostId: z.string().nullable(),
  operator: z.string().nullable(),
  data: z.record(z.string(), z.unknown()),
});
export type AlertJournalInput = z.infer<typeof AlertJournalInput>;

export const AlertEffect = z.discriminatedUnion('type', [
  /** A desktop notification (Electron Notification / Web Notification API); clicking it opens alertId. */
  z.object({ type: z.literal('notify'), alertId: id, severity: Severity, hostId: id.nullable(), title: z.string(), body: z.string() }),
  z.object({ type: z.literal('journal'), entry: AlertJournalInput }),
  /** The wall's alarm: repeat while on. alertIds are the alerts that keep it on. */
  z.object({ type: z.literal('sound'), on: z.boolean(), alertIds: z.array(id) }),
  /** Alerts (by id) and/or silences changed: publish them to the UIs. */
  z.object({ type: z.literal('changed'), alertIds: z.array(id), silences: z.boolean() }),
  /** The event was not applied (acknowledging a resolved alert, say); the state is unchanged. */
  z.object({ type: z.literal('refused'), reason: z.string() }),
]);
export type AlertEffect = z.infer<typeof AlertEffect>;

export interface AlertStep {
  state: AlertEngineState;
  effects: AlertEffect[];
}
