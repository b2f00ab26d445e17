/**
 * The shift report laid out as titled sections of text tables and lines — once, so the Markdown and the PDF
 * renderings say exactly the same thing.
 */
import { durationText, timeText } from '../time-text';
import type { HandoverReport, Incident } from './handover-schemas';

export interface RenderOptions {
  /** IANA time zone for times in the report; default UTC. */
  timeZone?: string;
}

export interface ReportTable {
  headers: string[];
  rows: string[][];
}

export interface ReportSection {
  title: string;
  table: ReportTable | null;
  lines: string[];
  /** Said when the section has neither rows nor lines. */
  empty: string;
}

export interface ReportLayout {
  title: string;
  facts: string[];
  sections: ReportSection[];
}

export function handoverLayout(report: HandoverReport, options: RenderOptions = {}): ReportLayout {
  const timeZone = options.timeZone ?? 'UTC';
  const time = (ms: number) => timeText(ms, timeZone);
  const host = (id: string | null) => (id === null ? '—' : (report.hostNames[id] ?? id));
  const { window } = report;
  const open = report.incidents.filter((i) => i.endAtMs === null);
  const facts = [
    `Window: ${time(window.fromMs)} → ${time(window.toMs)} (${timeZone}), ${durationText(window.toMs - window.fromMs)}`,
    `Generated: ${time(report.generatedAtMs)}`,
    `${report.incidents.length} incident(s), ${open.length} still open, ${report.actions.length} operator action(s)`,
  ];
  if (report.damagedJournalLines > 0) facts.push(`Warning: ${report.damagedJournalLines} journal line(s) could not be read and are missing here.`);
  const acks = (i: Incident) => (i.acks.length ? i.acks.map((a) => `${a.by} at ${time(a.atMs)}${a.comment ? ` ("${a.comment}")` : ''}`).join('; ') : 'no');
  const start = (i: Incident) => (i.startedBeforeWindow ? `before ${time(i.startAtMs)}` : time(i.startAtMs));

  const sections: ReportSection[] = [
    {
      title: 'On shift',
      table: table(
        ['Operator', 'Signed in', 'First seen', 'Last seen', 'Actions'],
        report.operators.map((o) => [o.name, o.signedInAtMs === null ? '—' : time(o.signedInAtMs), time(o.firstSeenAtMs), time(o.lastSeenAtMs), String(o.actionCount)]),
      ),
      lines: [],
      empty: 'Nobody signed in or acted in this window.',
    },
    {
      title: 'Still open',
      table: table(
        ['Severity', 'Alert', 'Host', 'Since', 'Open for', 'Acknowledged'],
        open.map((i) => [severityText(i), incidentText(i), host(i.hostId), start(i), durationText(i.durationMs), acks(i)]),
      ),
      lines: [
        ...report.silences.map((s) => `Silenced: ${s.what} until ${time(s.expiresAtMs)}, by ${s.createdBy}${s.comment ? ` ("${s.comment}")` : ''}`),
        ...report.maintenanceHostIds.map((id) => `In maintenance: ${host(id)}`),
      ],
      empty: 'Nothing is open; no silences, no hosts in maintenance.',
    },
    {
      title: 'Incidents',
      table: table(
        ['Severity', 'Incident', 'Host', 'Start', 'End', 'Duration', 'Acknowledged', 'Resolved by'],
        report.incidents.map((i) => [
          severityText(i),
          incidentText(i),
          host(i.hostId),
          start(i),
          i.endAtMs === null ? 'open' : time(i.endAtMs),
          durationText(i.durationMs),
          acks(i),
          i.endAtMs === null ? '—' : (i.resolvedBy ?? 'cleared'),
        ]),
      ),
      lines: [],
      empty: 'No incidents in this window.',
    },
    {
      title: 'Operator actions',
      table: table(
        ['Time', 'Operator', 'Action', 'Host', 'Outcome'],
        report.actions.map((a) => [time(a.atMs), a.operator, a.message, host(a.hostId), a.outcomeDetail ? `${a.outcome}: ${a.outcomeDetail}` : a.outcome]),
      ),
      lines: [],
      empty: 'No operator actions in this window.',
    },
    {
      title: 'Out-of-band config changes',
      table: table(['Time', 'Host', 'Change'], report.outOfBandChanges.map((c) => [time(c.atMs), host(c.hostId), c.message])),
      lines: [],
      empty: 'No configuration changed outside the console.',
    },
    {
      title: 'Notes',
      table: null,
      lines: report.notes.map((n) => `${time(n.atMs)} — ${n.operator ?? 'unknown operator'}: ${n.text}`),
      empty: 'No notes.',
    },
    {
      title: 'Sign-off',
      table: null,
      lines: report.signOff
        ? [
            `Signed off by ${report.signOff.operator} at ${time(report.signOff.atMs)}.`,
            ...(report.signOff.comment ? [`Comment: ${report.signOff.comment}`] : []),
            `Report sha256: ${report.signOff.reportSha256}`,
          ]
        : [],
      empty: 'Not signed off yet: the incoming operator signs it off.',
    },
  ];
  return { title: `Shift report ${time(window.fromMs)} → ${time(window.toMs)}`, facts, sections };
}

function table(headers: string[], rows: string[][]): ReportTable | null {
  return rows.length ? { headers, rows } : null;
}

function severityText(i: Incident): string {
  return i.severity.toUpperCase();
}

function incidentText(i: Incident): string {
  const flags = [
    i.flapping ? 'flapping' : null,
    i.quietReason === 'maintenance' ? 'during maintenance' : null,
    i.quietReason === 'silence' ? 'silenced' : null,
    i.folded.length ? `root cause of ${i.folded.length} more: ${i.folded.join(', ')}` : null,
  ].filter((f) => f !== null);
  return flags.length ? `${i.title} (${flags.join('; ')})` : i.title;
}
