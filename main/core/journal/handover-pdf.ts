/**
 * The shift report as a PDF (pdfkit), A4 landscape so the incident table fits. The built-in Helvetica covers
 * Western European text only (WinAnsi); pass a TrueType font (DejaVu Sans, say) to print any operator's name as is.
 */
import PDFDocument from 'pdfkit';
import type { HandoverReport } from './handover-schemas';
import { handoverLayout, type RenderOptions, type ReportTable } from './handover-sections';

export interface PdfOptions extends RenderOptions {
  /** Regular and bold TrueType fonts; without them Helvetica is used and characters it lacks become "?". */
  fontPaths?: { regular: string; bold: string };
}

const MARGIN_PT = 36;
const INK = '#111111';
const MUTED = '#555555';
const SEVERITY_INK: Record<string, string> = { CRITICAL: '#b00020', MAJOR: '#b35900' };
/** A heading needs room for a few lines under it, or it moves to the next page. */
const KEEP_WITH_HEADING_PT = 60;
const CELL_PADDING_PT = 8;
const SHORT_COLUMN_PT = 110;
const MIN_LONG_COLUMN_PT = 60;

export function handoverPdf(report: HandoverReport, options: PdfOptions = {}): Promise<Buffer> {
  const layout = handoverLayout(report, options);
  const doc = new PDFDocument({
    size: 'A4',
    layout: 'landscape',
    margin: MARGIN_PT,
    bufferPages: true,
    info: { Title: layout.title, Author: 'Tally', Subject: 'Shift handover report', CreationDate: new Date(report.generatedAtMs) },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const fonts = options.fontPaths ?? { regular: 'Helvetica', bold: 'Helvetica-Bold' };
  const text = options.fontPaths ? (s: string) => s : winAnsiText;

  doc.font(fonts.bold).fontSize(16).fillColor(INK).text(text(layout.title));
  doc.moveDown(0.3).font(fonts.regular).fontSize(9).fillColor(MUTED);
  for (const fact of layout.facts) doc.text(text(fact));
  for (const section of layout.sections) {
    if (doc.y > doc.page.height - doc.page.margins.bottom - KEEP_WITH_HEADING_PT) doc.addPage();
    doc.moveDown(0.8).font(fonts.bold).fontSize(12).fillColor(INK).text(text(section.title), MARGIN_PT);
    doc.moveDown(0.3).font(fonts.regular).fontSize(8.5);
    if (section.table) drawTable(doc, section.table, fonts, text);
    for (const line of section.lines) doc.text(text(`• ${line}`), MARGIN_PT);
    if (!section.table && !section.lines.length) doc.fillColor(MUTED).text(text(section.empty), MARGIN_PT).fillColor(INK);
  }
  numberPages(doc, fonts.regular, text(layout.title));
  doc.end();
  return done;
}

function drawTable(doc: PDFKit.PDFDocument, table: ReportTable, fonts: { bold: string }, text: (s: string) => string): void {
  const severityColumn = table.headers.indexOf('Severity');
  doc.table({
    position: { x: MARGIN_PT },
    columnStyles: columnWidthsPt(doc, table, text, doc.page.width - 2 * MARGIN_PT),
    defaultStyle: { border: 0.5, borderColor: '#999999', padding: [2, 3] },
    data: [
      table.headers.map((h) => ({ text: text(h), font: { src: fonts.bold }, backgroundColor: '#e8e8e8', type: 'TH' as const })),
      ...table.rows.map((row) => row.map((cell, i) => ({ text: text(cell), textColor: i === severityColumn ? (SEVERITY_INK[cell] ?? INK) : INK }))),
    ],
  });
  doc.x = MARGIN_PT;
  doc.moveDown(0.4);
}

/**
 * Short columns (times, severities, names) get the width their longest text needs; long ones share the rest by
 * how much they hold. If even the short ones do not fit, every column gets its share of the width.
 */
function columnWidthsPt(doc: PDFKit.PDFDocument, table: ReportTable, text: (s: string) => string, widthPt: number): number[] {
  const natural = table.headers.map((h, i) => CELL_PADDING_PT + Math.max(1.1 * doc.widthOfString(text(h)), ...table.rows.map((r) => doc.widthOfString(text(r[i] ?? '')))));
  const sum = natural.reduce((a, b) => a + b, 0);
  if (sum <= widthPt) return natural.map((w) => (w * widthPt) / sum);
  const isShort = natural.map((w) => w <= SHORT_COLUMN_PT);
  const shortSum = natural.reduce((a, w, i) => a + (isShort[i] ? w : 0), 0);
  const longSum = sum - shortSum;
  const leftPt = widthPt - shortSum;
  if (leftPt < MIN_LONG_COLUMN_PT * isShort.filter((x) => !x).length) return natural.map((w) => (w * widthPt) / sum);
  return natural.map((w, i) => (isShort[i] ? w : (w * leftPt) / longSum));
}

function numberPages(doc: PDFKit.PDFDocument, font: string, title: string): void {
  const { start, count } = doc.bufferedPageRange();
  for (let i = start; i < start + count; i++) {
    doc.switchToPage(i);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0; // writing into the margin must not start a new page
    doc.font(font).fontSize(7).fillColor(MUTED);
    doc.text(`${title} — page ${i + 1} of ${count}`, MARGIN_PT, doc.page.height - bottom / 2 - 4, { lineBreak: false });
    doc.page.margins.bottom = bottom;
  }
}

/** WinAnsi (cp1252) beyond Latin-1: what Helvetica can print above U+00FF. */
const WIN_ANSI_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');
const REPLACEMENTS: Record<string, string> = { '→': '->', '←': '<-', '≥': '>=', '≤': '<=', '✓': 'v', '×': 'x' };

/** Text Helvetica can print: arrows spelled out, accents kept where cp1252 has them, anything else "?". */
export function winAnsiText(s: string): string {
  let out = '';
  for (const ch of s.normalize('NFC')) {
    const code = ch.codePointAt(0)!;
    if ((code >= 0x20 && code < 0x7f) || (code >= 0xa0 && code <= 0xff) || WIN_ANSI_EXTRA.has(ch)) out += ch;
    else if (REPLACEMENTS[ch] !== undefined) out += REPLACEMENTS[ch];
    else if (ch === '\n' || ch === '\t') out += ' ';
    else {
      const stripped = ch.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
      out += /^[\x20-\x7e]+$/.test(stripped) ? stripped : '?';
    }
  }
  return out;
}
