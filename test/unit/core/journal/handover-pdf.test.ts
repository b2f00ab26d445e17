import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildHandoverReport, signOff } from '../../../../main/core/journal/handover';
import { handoverPdf, winAnsiText } from '../../../../main/core/journal/handover-pdf';
import type { HandoverReport } from '../../../../main/core/journal/handover-schemas';
import { type PlayedShift, playNightShift, SHIFT_END_MS } from './night-shift';

const has = (tool: string) => {
  try {
    execFileSync('which', [tool], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};
const POPPLER = has('pdftoppm') && has('pdftotext');
const DEJAVU = { regular: '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf', bold: '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf' };

describe('shift report as PDF', () => {
  let shift: PlayedShift;
  let report: HandoverReport;
  let dir: string;
  before(() => {
    shift = playNightShift();
    report = signOff(buildHandoverReport(shift.input), { operator: 'bob', atMs: SHIFT_END_MS + 60_000, comment: 'taken over' });
    dir = mkdtempSync(path.join(tmpdir(), 'tally-pdf-'));
  });
  after(() => {
    shift.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });
  const pdfText = (file: string) => execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });

  it('is a complete PDF document', async () => {
    const pdf = await handoverPdf(report);
    assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
    assert.match(pdf.subarray(-8).toString('latin1'), /%%EOF\s*$/);
  });

  it('renders page 1 to a PNG that has the report on it', { skip: !POPPLER && 'poppler-utils (pdftoppm) is not installed' }, async () => {
    const file = path.join(dir, 'report.pdf');
    writeFileSync(file, await handoverPdf(report));
    execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', '-singlefile', file, path.join(dir, 'page1')]);
    const png = path.join(dir, 'page1.png');
    assert.ok(existsSync(png));
    assert.ok(statSync(png).size > 10_000, `page 1 PNG is only ${statSync(png).size} bytes`);
    const bytes = readFileSync(png);
    assert.deepEqual([...bytes.subarray(1, 4)], [0x50, 0x4e, 0x47], 'PNG signature');
    assert.ok(bytes.readUInt32BE(16) > bytes.readUInt32BE(20), 'landscape');

    execFileSync('pdftoppm', ['-gray', '-r', '30', '-f', '1', '-l', '1', '-singlefile', file, path.join(dir, 'page1')]);
    const ink = inkRatio(readFileSync(path.join(dir, 'page1.pgm')));
    assert.ok(ink > 0.01 && ink < 0.5, `page 1 has ${(ink * 100).toFixed(1)} % ink`);
  });

  it('reads as the report: incident, ack, sign-off', { skip: !POPPLER && 'poppler-utils (pdftotext) is not installed' }, async () => {
    const file = path.join(dir, 'text.pdf');
    writeFileSync(file, await handoverPdf(report));
    const text = pdfText(file);
    for (const expected of ['Shift report 2025-03-01 22:00:00 -> 2025-03-02 06:00:00', 'enc-01 is down', 'rebooting the encoder', 'Signed off by bob', 'page 1 of']) {
      assert.ok(text.includes(expected), `the PDF text has "${expected}"`);
    }
  });

  it('runs onto further pages with numbered footers, and headings never sit alone at the foot of a page', { skip: !POPPLER && 'poppler-utils is not installed' }, async () => {
    const notes = Array.from({ length: 150 }, (_, i) => ({ entryId: `n${i}`, atMs: report.window.fromMs + i * 1000, operator: 'alice', text: `note ${i}` }));
    const file = path.join(dir, 'long.pdf');
    writeFileSync(file, await handoverPdf({ ...report, notes }));
    const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))?.[1]);
    assert.ok(pages >= 3, `${pages} pages`);
    const text = pdfText(file);
    assert.ok(text.includes(`page ${pages} of ${pages}`));
    assert.ok(text.includes('note 149'));
  });

  it('prints names Helvetica cannot as "?", and as they are with a TrueType font', { skip: !POPPLER && 'poppler-utils is not installed' }, async () => {
    const named = { ...report, notes: [{ entryId: 'n', atMs: report.window.fromMs, operator: 'Ольга', text: 'смена принята' }] };
    const plain = path.join(dir, 'plain.pdf');
    writeFileSync(plain, await handoverPdf(named));
    assert.ok(pdfText(plain).includes('?????: ????? ???????'));
    if (!existsSync(DEJAVU.regular) || !existsSync(DEJAVU.bold)) return;
    const unicode = path.join(dir, 'unicode.pdf');
    writeFileSync(unicode, await handoverPdf(named, { fontPaths: DEJAVU }));
    assert.ok(pdfText(unicode).includes('Ольга: смена принята'));
  });
});

describe('winAnsiText', () => {
  const rows: [string, string][] = [
    ['plain ASCII', 'plain ASCII'],
    ['Müller, Åsa, Renée', 'Müller, Åsa, Renée'],
    ['a → b ≥ c', 'a -> b >= c'],
    ['dash — and “quotes” …', 'dash — and “quotes” …'],
    ['Łukasz', '?ukasz'],
    ['Dvořák', 'Dvorák'],
    ['line\nbreak', 'line break'],
    ['日本', '??'],
  ];
  for (const [input, output] of rows) it(`${JSON.stringify(input)} → ${JSON.stringify(output)}`, () => assert.equal(winAnsiText(input), output));
});

/** Share of dark pixels in a binary PGM (P5, 8-bit). */
function inkRatio(pgm: Buffer): number {
  const header = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(pgm.subarray(0, 64).toString('latin1'));
  assert.ok(header, 'a binary PGM');
  const pixels = pgm.subarray(header[0].length);
  let dark = 0;
  for (const value of pixels) if (value < 128) dark++;
  return dark / pixels.length;
}
