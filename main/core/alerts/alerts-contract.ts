/**
 * The UI contract of alerts, the wall's alarm and (through journal/shift-contract.ts) the shift: sign-in, journal
 * search and handover. zod only, importable by the renderer; api.ts spreads these maps in with one line each.
 * The shift calls ride here because one engine module serves both: the handover report needs the alert state.
 */
import { z } from 'zod';
import { shiftCommands, shiftEvents, shiftQueries } from '../journal/shift-contract';
import { Severity } from '../severity';
import { Alert, Silence, SilenceMatcher } from './alert-schemas';

const alertId = z.object({ id: z.string().trim().min(1).max(200) }).strict();
const comment = z.string().trim().max(4000);
const MINUTE_MS = 60_000;

/** The wall's alarm: it sounds while an unacknowledged critical alert fires, unless muted. Volume is per console. */
export const AlarmState = z.object({
  sounding: z.boolean(),
  muted: z.boolean(),
  volumePct: z.number().int().min(0).max(100),
  /** The alerts that keep it sounding (or would, if it were not muted), oldest first. */
  alertIds: z.array(z.string()),
});
export type AlarmState = z.infer<typeof AlarmState>;

export const AlertList = z.object({
  /** Loud before quiet, firing before acknowledged, worst first, oldest first. */
  open: z.array(Alert),
  /** Recently resolved alerts, newest first. */
  resolved: z.array(Alert),
  silences: z.array(Silence),
  /** Open alerts nobody acknowledged and nothing suppresses: the tray badge. */
  unacknowledged: z.number().int().nonnegative(),
  /** Set when the stored alert state could not be read at start: the UI must say so. */
  stateProblem: z.string().nullable(),
});
export type AlertList = z.infer<typeof AlertList>;

export const AlertNotice = z.object({ alertId: z.string(), severity: Severity, hostId: z.string().nullable(), title: z.string(), body: z.string() });
export type AlertNotice = z.infer<typeof AlertNotice>;

const alertQueryMap = {
  'alerts.list': {
    input: z.object({ resolvedLimit: z.number().int().min(0).max(500).default(100) }).strict(),
    output: AlertList,
  },
  'silences.list': { input: z.object({}).strict(), output: z.array(Silence) },
  'alarm.get': { input: z.object({}).strict(), output: AlarmState },
} as const;

const alertCommandMap = {
  'alert.ack': { input: alertId.extend({ comment: comment.default('') }).strict(), output: Alert },
  'alert.resolve': { input: alertId.extend({ comment: comment.default('') }).strict(), output: Alert },
  'silence.add': {
    input: z
      .object({
        matcher: SilenceMatcher,
        durationMs: z.number().int().min(MINUTE_MS, 'a silence lasts at least a minute').max(7 * 24 * 60 * MINUTE_MS, 'a silence lasts at most a week'),
        comment: comment.min(1, 'say why the alerts are silenced'),
      })
      .strict(),
    output: Silence,
  },
  'silence.remove': { input: alertId, output: z.object({ removed: z.string() }) },
  'alarm.mute': { input: z.object({ muted: z.boolean() }).strict(), output: AlarmState },
  'alarm.volume': { input: z.object({ volumePct: z.number().int().min(0).max(100) }).strict(), output: AlarmState },
} as const;

const alertEventMap = {
  /** Alerts that changed (their current version; resolved ones with status `resolved`) and the new badge count. */
  'alerts.changed': z.object({ alerts: z.array(Alert), unacknowledged: z.number().int().nonnegative() }),
  'silences.changed': z.object({ silences: z.array(Silence) }),
  'alarm.changed': AlarmState,
  /** A new critical/major alert: show a desktop notification that opens the alert when clicked. */
  'alert.notify': AlertNotice,
  /** Sent to the desk by the desktop shell when a notification is clicked: open this alert. */
  'alert.focus': z.object({ alertId: z.string() }),
} as const;

export const alertQueries = { ...alertQueryMap, ...shiftQueries } as const;
export const alertCommands = { ...alertCommandMap, ...shiftCommands } as const;
export const alertEvents = { ...alertEventMap, ...shiftEvents } as const;

export type AlertQueryName = keyof typeof alertQueries;
export type AlertCommandName = keyof typeof alertCommands;
