/**
 * The shift's calls: operator sign-in, journal search, and the handover report (build, export, sign-off).
 * zod only; api.ts is imported for types alone (a value import would be a cycle: api.ts spreads these maps in).
 */
import { z } from 'zod';
import type { JournalEntry } from '../api';
import { Severity } from '../severity';
import { HandoverReport } from './handover-schemas';
import type { ReportLayout } from './handover-sections';

const timeMs = z.number().int().nonnegative();
const MAX_WINDOW_MS = 31 * 24 * 3600_000;

/** A person's name as it appears in the journal: printable, one line. */
export const OperatorName = z
  .string()
  .trim()
  .min(1, 'type your name')
  .max(64, 'at most 64 characters')
  .refine((s) => !/\p{Cc}/u.test(s), 'no control characters');

/** An IANA zone such as Europe/Berlin; reports print times in it (default UTC). */
const TimeZone = z
  .string()
  .max(64)
  .refine((tz) => {
    try {
      new Intl.DateTimeFormat('en-GB', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, 'not a time zone this console knows');

const windowFields = { fromMs: timeMs, toMs: timeMs, timeZone: TimeZone.optional() };

/** A report window ends after it starts and spans at most 31 days. */
function checkWindow(w: { fromMs: number; toMs: number }, ctx: z.RefinementCtx): void {
  if (w.toMs <= w.fromMs) ctx.addIssue({ code: 'custom', message: 'the window ends after it starts', path: ['toMs'] });
  else if (w.toMs - w.fromMs > MAX_WINDOW_MS) ctx.addIssue({ code: 'custom', message: 'a report covers at most 31 days', path: ['fromMs'] });
}

export const ShiftReport = z.object({
  report: HandoverReport,
  /** The report laid out exactly as the Markdown and PDF exports print it: the preview. */
  layout: z.custom<ReportLayout>(),
  signed: z.boolean(),
});
export type ShiftReport = z.infer<typeof ShiftReport>;

export const ReportExport = z.object({
  filename: z.string(),
  mimeType: z.string(),
  encoding: z.enum(['utf8', 'base64']),
  content: z.string(),
});
export type ReportExport = z.infer<typeof ReportExport>;

export const JournalSearch = z
  .object({
    /** Default: 24 hours before `toMs`. */
    fromMs: timeMs.optional(),
    /** Default: now. */
    toMs: timeMs.optional(),
    /** A kind or a kind prefix ending in a dot: `note`, `alert.`. */
    kind: z.string().trim().max(100).optional(),
    /** At least this severity. */
    severity: Severity.optional(),
    hostId: z.string().trim().max(64).optional(),
    /** Words that must all appear in the message, kind or operator (any case). */
    text: z.string().trim().max(200).optional(),
    limit: z.number().int().min(1).max(2000).default(200),
  })
  .strict();
export type JournalSearch = z.infer<typeof JournalSearch>;

export const JournalSearchResult = z.object({
  /** Newest first. */
  entries: z.array(z.custom<JournalEntry>()),
  /** More entries matched than `limit`. */
  truncated: z.boolean(),
  /** Journal lines in the window that could not be read. */
  damagedLines: z.number().int().nonnegative(),
  fromMs: timeMs,
  toMs: timeMs,
});

export const SignedIn = z.object({ operator: z.string(), atMs: timeMs });

export const shiftQueries = {
  'journal.search': { input: JournalSearch, output: JournalSearchResult },
  'handover.build': { input: z.object(windowFields).strict().superRefine(checkWindow), output: ShiftReport },
  'handover.export': { input: z.object({ ...windowFields, format: z.enum(['markdown', 'pdf']) }).strict().superRefine(checkWindow), output: ReportExport },
} as const;

export const shiftCommands = {
  'session.signIn': { input: z.object({ name: OperatorName }).strict(), output: SignedIn },
  'session.signOut': { input: z.object({}).strict(), output: SignedIn },
  'handover.signOff': { input: z.object({ ...windowFields, comment: z.string().trim().max(4000).default('') }).strict().superRefine(checkWindow), output: ShiftReport },
} as const;

export const shiftEvents = {} as const;
