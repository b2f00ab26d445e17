/**
 * The shift's calls: sign-in and sign-out, journal search, and the shift report (build, export, sign-off).
 * Served by the alerts module (alerts/alerts-module.ts), which hands in the alert state the report needs.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { CallContext, CommandHandlers, QueryHandlers } from '../api';
import { alertHistory } from '../alerts/alert-queries';
import type { AlertEngineState } from '../alerts/alert-schemas';
import { ApiError } from '../dispatch';
import type { EngineContext } from '../engine-context';
import { buildHandoverReport, HANDOVER_JOURNAL_KINDS, signOff, signOffJournalInput } from './handover';
import { handoverMarkdown } from './handover-markdown';
import { handoverPdf } from './handover-pdf';
import type { HandoverReport, HandoverWindow } from './handover-schemas';
import { handoverLayout } from './handover-sections';
import { searchEntries } from './journal-search';
import type { ShiftReport } from './shift-contract';
import { SignedReports } from './signed-reports';

const DAY_MS = 24 * 3600_000;
const DEJAVU_DIR = '/usr/share/fonts/truetype/dejavu';

export type ShiftQueryName = 'journal.search' | 'handover.build' | 'handover.export';
export type ShiftCommandName = 'session.signIn' | 'session.signOut' | 'handover.signOff';

export interface ShiftHandlers {
  queries: Pick<QueryHandlers, ShiftQueryName>;
  commands: Pick<CommandHandlers, ShiftCommandName>;
}

/** DejaVu Sans when the machine has it, so any operator's name prints as typed; else the PDF falls back to Helvetica. */
export function reportFontPaths(dir = DEJAVU_DIR): { regular: string; bold: string } | undefined {
  const fonts = { regular: path.join(dir, 'DejaVuSans.ttf'), bold: path.join(dir, 'DejaVuSans-Bold.ttf') };
  return existsSync(fonts.regular) && existsSync(fonts.bold) ? fonts : undefined;
}

export function createShiftHandlers(ctx: EngineContext, alertState: () => AlertEngineState): ShiftHandlers {
  const signed = new SignedReports(path.join(ctx.dataDir, 'handover'));
  const fontPaths = reportFontPaths();

  const freshReport = (window: HandoverWindow): HandoverReport => {
    const { entries, damagedLines } = ctx.journal.read(window.fromMs, window.toMs);
    const state = alertState();
    return buildHandoverReport({
      window,
      generatedAtMs: ctx.clock.now(),
      entries,
      damagedJournalLines: damagedLines,
      alerts: alertHistory(state),
      silences: state.silences,
      maintenanceHostIds: state.maintenanceHostIds,
      hostNames: Object.fromEntries(ctx.fleet.all().map((rt) => [rt.host.id, rt.host.name])),
    });
  };

  /** The signed report of the window if there is one, else a fresh one. A damaged signed file is an error, not a rebuild. */
  const reportOf = (window: HandoverWindow): HandoverReport => {
    try {
      return signed.read(window) ?? freshReport(window);
    } catch (err) {
      ctx.journal.append({ kind: 'handover.unreadable', severity: 'major', message: (err as Error).message });
      throw new ApiError('conflict', (err as Error).message);
    }
  };

  const shiftReport = (report: HandoverReport, timeZone: string | undefined): ShiftReport => ({
    report,
    layout: handoverLayout(report, { timeZone }),
    signed: report.signOff !== null,
  });

  return {
    queries: {
      'journal.search': async (input) => {
        const toMs = input.toMs ?? ctx.clock.now();
        const fromMs = input.fromMs ?? toMs - DAY_MS;
        if (toMs < fromMs) throw new ApiError('bad-input', 'toMs: the search ends before it starts');
        const { entries, damagedLines } = ctx.journal.read(fromMs, toMs);
        return { ...searchEntries(entries, input), damagedLines, fromMs, toMs };
      },
      'handover.build': async ({ fromMs, toMs, timeZone }) => shiftReport(reportOf({ fromMs, toMs }), timeZone),
      'handover.export': async ({ fromMs, toMs, timeZone, format }) => {
        const report = reportOf({ fromMs, toMs });
        const name = `shift-report-${fileStamp(fromMs)}-${fileStamp(toMs)}${report.signOff ? '-signed' : ''}`;
        if (format === 'markdown') {
          return { filename: `${name}.md`, mimeType: 'text/markdown; charset=utf-8', encoding: 'utf8', content: handoverMarkdown(report, { timeZone }) };
        }
        const pdf = await handoverPdf(report, { timeZone, fontPaths });
        return { filename: `${name}.pdf`, mimeType: 'application/pdf', encoding: 'base64', content: pdf.toString('base64') };
      },
    },
    commands: {
      'session.signIn': async ({ name }, call) => {
        const atMs = ctx.clock.now();
        const previous = call.operator && call.operator !== name ? ` (this ${call.transport === 'ipc' ? 'window' : 'browser tab'} was ${call.operator})` : '';
        ctx.journal.append({
          kind: HANDOVER_JOURNAL_KINDS.signIn,
          operator: name,
          message: `${name} signed in${previous}`,
          data: { operator: name, transport: call.transport },
        });
        return { operator: name, atMs };
      },
      'session.signOut': async (_input, call) => {
        const operator = operatorOf(call);
        ctx.journal.append({ kind: HANDOVER_JOURNAL_KINDS.signOut, operator, message: `${operator} signed out`, data: { operator, transport: call.transport } });
        return { operator, atMs: ctx.clock.now() };
      },
      'handover.signOff': async ({ fromMs, toMs, timeZone, comment }, call) => {
        const window = { fromMs, toMs };
        const existing = reportOf(window);
        if (existing.signOff) {
          const reason = `the shift report ${new Date(fromMs).toISOString()} – ${new Date(toMs).toISOString()} was already signed off by ${existing.signOff.operator}; a sign-off is never replaced`;
          ctx.journal.append({ kind: 'handover.signoff-refused', severity: 'warning', operator: operatorOf(call), message: reason });
          throw new ApiError('conflict', reason);
        }
        const report = signOff(existing, { operator: operatorOf(call), atMs: ctx.clock.now(), comment });
        signed.write(report);
        ctx.journal.append(signOffJournalInput(report));
        return shiftReport(report, timeZone);
      },
    },
  };
}

export function operatorOf(call: CallContext): string {
  return call.operator ?? 'operator';
}

function fileStamp(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16).replace(/[-:]/g, '').replace('T', '-') + 'Z';
}
