/**
 * The shift report for any time window, built from journal entries and the alert engine's history, and its
 * sign-off by the incoming operator. Pure: the shell reads the journal, calls these, and journals the sign-off.
 * Rendering lives beside it: handover-markdown.ts and handover-pdf.ts.
 */
import { createHash } from 'node:crypto';
import { matcherText } from '../alerts/alert-journal';
import type { Alert, Silence } from '../alerts/alert-schemas';
import type { JournalEntry } from '../api';
import { HANDOVER_JOURNAL_KINDS, notesOf, operatorActionsOf, outOfBandChangesOf, shiftOperatorsOf } from './handover-activity';
import { incidentsOf } from './handover-incidents';
import { type HandoverReport, HandoverWindow, SignOff } from './handover-schemas';

export { HANDOVER_JOURNAL_KINDS } from './handover-activity';

export interface HandoverInput {
  window: HandoverWindow;
  generatedAtMs: number;
  /** Journal entries of the window (Journal.read(fromMs, toMs).entries); others are ignored. */
  entries: readonly JournalEntry[];
  /** Journal.read's damagedLines, so the report admits to what it could not read. */
  damagedJournalLines?: number;
  /** The engine's open and recently resolved alerts (alertHistory(state)): fills in incidents that began before the window. */
  alerts?: readonly Alert[];
  /** Silences and maintenance in force when the report is made: the next shift must know what is muted. */
  silences?: readonly Silence[];
  maintenanceHostIds?: readonly string[];
  hostNames?: Record<string, string>;
}

export function buildHandoverReport(input: HandoverInput): HandoverReport {
  const window = HandoverWindow.parse(input.window);
  const entries = input.entries.filter((e) => e.at >= window.fromMs && e.at <= window.toMs).sort((a, b) => a.at - b.at);
  const hostNames = input.hostNames ?? {};
  const { incidents, unreadableEntries } = incidentsOf(entries, input.alerts ?? [], window, hostNames);
  const actions = operatorActionsOf(entries);
  return {
    window,
    generatedAtMs: input.generatedAtMs,
    hostNames,
    operators: shiftOperatorsOf(entries, actions),
    incidents,
    actions,
    outOfBandChanges: outOfBandChangesOf(entries),
    notes: notesOf(entries),
    silences: (input.silences ?? [])
      .filter((s) => s.expiresAtMs > input.generatedAtMs)
      .map((s) => ({ id: s.id, what: matcherText(s.matcher), createdBy: s.createdBy, comment: s.comment, expiresAtMs: s.expiresAtMs })),
    maintenanceHostIds: [...(input.maintenanceHostIds ?? [])],
    damagedJournalLines: (input.damagedJournalLines ?? 0) + unreadableEntries,
    signOff: null,
  };
}

export interface SignOffInput {
  operator: string;
  atMs: number;
  comment: string;
}

/** The report as signed by the incoming operator. Throws if it is already signed: a sign-off is never replaced. */
export function signOff(report: HandoverReport, input: SignOffInput): HandoverReport {
  if (report.signOff) throw new Error(`this report was already signed off by ${report.signOff.operator}`);
  const signed = SignOff.parse({ ...input, operator: input.operator.trim(), reportSha256: reportSha256(report) });
  return { ...report, signOff: signed };
}

/** True when the report still reads as it did when it was signed. */
export function signOffHolds(report: HandoverReport): boolean {
  return report.signOff !== null && report.signOff.reportSha256 === reportSha256(report);
}

/** What the shell appends to the journal when a report is signed off (structurally a JournalInput). */
export function signOffJournalInput(report: HandoverReport) {
  const s = report.signOff;
  if (!s) throw new Error('the report is not signed off');
  const from = new Date(report.window.fromMs).toISOString();
  const to = new Date(report.window.toMs).toISOString();
  return {
    kind: HANDOVER_JOURNAL_KINDS.signOff,
    severity: 'info' as const,
    message: `${s.operator} signed off the shift report ${from} – ${to}${s.comment ? `: ${s.comment}` : ''}`,
    hostId: null,
    operator: s.operator,
    data: { fromMs: report.window.fromMs, toMs: report.window.toMs, reportSha256: s.reportSha256, comment: s.comment },
  };
}

/** sha256 of the report without its sign-off, over JSON with sorted keys so it survives a round trip. */
export function reportSha256(report: HandoverReport): string {
  return createHash('sha256').update(canonicalJson({ ...report, signOff: null })).digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const fields = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${fields.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
