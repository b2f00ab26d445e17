import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { JournalEntry } from '../../../../main/core/api';
import { buildHandoverReport, signOff, signOffHolds, signOffJournalInput } from '../../../../main/core/journal/handover';
import { handoverMarkdown } from '../../../../main/core/journal/handover-markdown';
import { HandoverReport } from '../../../../main/core/journal/handover-schemas';
import { durationText, timeText } from '../../../../main/core/time-text';
import { type PlayedShift, playNightShift, SHIFT_END_MS, SHIFT_START_MS } from './night-shift';

const MIN = 60_000;

describe('shift report from a played night shift', () => {
  let shift: PlayedShift;
  let report: HandoverReport;
  before(() => {
    shift = playNightShift();
    report = buildHandoverReport(shift.input);
  });
  after(() => shift.cleanup());

  it('lists who was on shift, with sign-ins and action counts', () => {
    assert.deepEqual(
      report.operators.map((o) => [o.name, o.signedInAtMs, o.actionCount]),
      [
        ['alice', Date.UTC(2025, 2, 1, 22, 0, 5), 3], // the ack, the failover, the silence
        ['bob', Date.UTC(2025, 2, 2, 5, 30), 0],
      ],
    );
  });

  it('an alert from firing to resolved is an incident, with its start, end, duration and ack', () => {
    const enc01 = report.incidents.find((i) => i.title === 'enc-01 is down');
    assert.ok(enc01, 'the enc-01 incident');
    assert.equal(enc01.source, 'alert');
    assert.equal(enc01.severity, 'critical');
    assert.equal(enc01.startAtMs, Date.UTC(2025, 2, 1, 22, 10), 'from the first missed heartbeat (the warning escalated)');
    assert.equal(enc01.endAtMs, Date.UTC(2025, 2, 1, 22, 25));
    assert.equal(enc01.durationMs, 15 * MIN);
    assert.deepEqual(enc01.acks, [{ by: 'alice', atMs: Date.UTC(2025, 2, 1, 22, 12), comment: 'rebooting the encoder' }]);
    assert.equal(report.incidents.filter((i) => i.hostId === 'h1').length, 1, 'the host.health entries do not make it a second incident');
  });

  it('a host down → ok without an alert is an incident too', () => {
    const arc = report.incidents.find((i) => i.hostId === 'arc1');
    assert.equal(arc?.source, 'host');
    assert.equal(arc?.title, 'arc-1 down');
    assert.equal(arc?.durationMs, 4 * MIN);
  });

  it('what is still open: the dead switch, with the host behind it folded under it', () => {
    const open = report.incidents.filter((i) => i.endAtMs === null);
    assert.deepEqual(open.map((i) => i.title), ['sw-1 is down']);
    assert.deepEqual(open[0]!.folded, ['enc-03 is down']);
    assert.equal(open[0]!.durationMs, 4 * 60 * MIN);
  });

  it('operator actions with their outcomes', () => {
    const failover = report.actions.find((a) => a.kind === 'failover.started');
    assert.equal(failover?.outcome, 'ok');
    assert.equal(failover?.outcomeDetail, '3 channels running on enc-r1 after 4.1 s');
    assert.deepEqual(report.actions.map((a) => a.kind), ['alert.acknowledged', 'failover.started', 'silence.added']);
  });

  it('out-of-band config changes, notes, silences in force', () => {
    assert.deepEqual(report.outOfBandChanges.map((c) => [c.hostId, c.message]), [['h2', 'channel c4.json changed on the host (sha256 ab12…)']]);
    assert.deepEqual(report.notes.map((n) => [n.operator, n.text]), [
      ['alice', 'enc-01 PSU fan is noisy; ticket 4711'],
      ['bob', 'sw-1 vendor called back, RMA opened'],
    ]);
    assert.deepEqual(report.silences.map((s) => [s.what, s.createdBy]), [['key origin:*', 'alice']]);
    assert.equal(report.damagedJournalLines, 0);
  });

  it('the journal alone is enough: a report for an old window, after a restart, says the same', () => {
    const fromJournal = buildHandoverReport({ ...shift.input, alerts: [] });
    assert.deepEqual(fromJournal.incidents, report.incidents);
  });

  it('is valid by its own schema', () => {
    assert.deepEqual(HandoverReport.parse(JSON.parse(JSON.stringify(report))), report);
  });

  it('the Markdown carries the incident, the ack, and every section', () => {
    const md = handoverMarkdown(report);
    assert.match(md, /^# Shift report 2025-03-01 22:00:00 → 2025-03-02 06:00:00/);
    assert.match(md, /\| CRITICAL \| enc-01 is down \| enc-01 \| 2025-03-01 22:10:00 \| 2025-03-01 22:25:00 \| 15 min 00 s \| alice at 2025-03-01 22:12:00 \("rebooting the encoder"\) \| cleared \|/);
    assert.match(md, /\| CRITICAL \| sw-1 is down \(root cause of 1 more: enc-03 is down\) \| sw-1 \| 2025-03-02 02:00:00 \| 4 h 00 min \| no \|/);
    assert.match(md, /ok: 3 channels running on enc-r1 after 4\.1 s/);
    assert.match(md, /- Silenced: key origin:\\\* until 2025-03-02 08:00:00, by alice \("origin upgrade"\)/);
    for (const title of ['On shift', 'Still open', 'Incidents', 'Operator actions', 'Out-of-band config changes', 'Notes', 'Sign-off']) {
      assert.match(md, new RegExp(`^## ${title}$`, 'm'), title);
    }
    assert.match(md, /_Not signed off yet: the incoming operator signs it off\._/);
  });

  it('the incoming operator signs it off; the sign-off is journalled, shown, and detects later edits', () => {
    const signed = signOff(report, { operator: 'bob', atMs: SHIFT_END_MS + 5 * MIN, comment: 'taken over, watching sw-1' });
    assert.equal(report.signOff, null, 'the unsigned report is left as it was');
    assert.equal(signed.signOff?.operator, 'bob');
    assert.ok(signOffHolds(signed));
    assert.ok(signOffHolds(JSON.parse(JSON.stringify(signed))), 'holds after a round trip through JSON');
    assert.equal(signOffHolds({ ...signed, notes: [] }), false, 'an edited report no longer matches its sign-off');
    assert.throws(() => signOff(signed, { operator: 'carol', atMs: SHIFT_END_MS, comment: '' }), /already signed off by bob/);
    const entry = signOffJournalInput(signed);
    assert.equal(entry.kind, 'handover.signoff');
    assert.equal(entry.operator, 'bob');
    assert.equal(entry.data.reportSha256, signed.signOff?.reportSha256);
    assert.match(handoverMarkdown(signed), /- Signed off by bob at 2025-03-02 06:05:00\.\n- Comment: taken over, watching sw-1\n- Report sha256: [0-9a-f]{64}/);
  });

  it('renders times in the zone asked for', () => {
    assert.match(handoverMarkdown(report, { timeZone: 'Europe/Berlin' }), /^# Shift report 2025-03-01 23:00:00 → 2025-03-02 07:00:00/);
  });
});

describe('shift report edge cases', () => {
  const entry = (at: number, kind: string, patch: Partial<JournalEntry> = {}): JournalEntry => ({
    id: `e-${at}-${kind}`,
    at,
    kind,
    severity: 'info',
    message: kind,
    hostId: null,
    operator: null,
    ...patch,
  });
  const window = { fromMs: SHIFT_START_MS, toMs: SHIFT_END_MS };
  const build = (entries: JournalEntry[]) => buildHandoverReport({ window, generatedAtMs: SHIFT_END_MS, entries });

  it('an incident that began before the window keeps its real start when the journal says it', () => {
    const r = build([
      entry(SHIFT_START_MS + 10 * MIN, 'alert.resolved', {
        data: { alertId: 'a1', summary: 'origin-2 lost stream news', firedAtMs: SHIFT_START_MS - 30 * MIN, resolvedAtMs: SHIFT_START_MS + 10 * MIN },
      }),
    ]);
    assert.equal(r.incidents[0]?.startAtMs, SHIFT_START_MS - 30 * MIN);
    assert.equal(r.incidents[0]?.startedBeforeWindow, true);
    assert.equal(r.incidents[0]?.durationMs, 40 * MIN);
    assert.match(handoverMarkdown(r), /\| before 2025-03-01 21:30:00 \|/);
  });

  it('a host already down when the window opens starts "before" the window', () => {
    const r = build([entry(SHIFT_START_MS + MIN, 'host.health', { hostId: 'h9', data: { from: 'down', to: 'ok' } })]);
    assert.equal(r.incidents[0]?.startedBeforeWindow, true);
    assert.equal(r.incidents[0]?.startAtMs, SHIFT_START_MS);
  });

  it('action outcomes (table)', () => {
    const base = SHIFT_START_MS + MIN;
    const rows: [string, JournalEntry[], string, string | null][] = [
      ['explicit outcome', [entry(base, 'resync.start', { operator: 'al', data: { outcome: 'failed', error: 'peer refused' } })], 'failed', 'peer refused'],
      ['an error', [entry(base, 'host.restart', { operator: 'al', data: { error: 'timeout' } })], 'failed', 'timeout'],
      [
        'a follow-up that went wrong',
        [entry(base, 'failover.started', { operator: 'al' }), entry(base + 1, 'failover.step', { severity: 'major', message: 'reserve enc-r1 has no capacity', data: { actionId: `e-${base}-failover.started` } })],
        'failed',
        'reserve enc-r1 has no capacity',
      ],
      ['still running', [entry(base, 'resync.start', { operator: 'al', data: { outcome: 'pending' } })], 'pending', null],
      ['nothing known', [entry(base, 'host.updated', { operator: 'al' })], 'recorded', null],
    ];
    for (const [name, entries, outcome, detail] of rows) {
      const [action, ...rest] = build(entries).actions;
      assert.equal(rest.length, 0, `${name}: follow-ups are outcomes, not actions`);
      assert.equal(action?.outcome, outcome, name);
      assert.equal(action?.outcomeDetail, detail, name);
    }
  });

  it('says how many journal lines it could not read', () => {
    const r = buildHandoverReport({ window, generatedAtMs: SHIFT_END_MS, entries: [entry(SHIFT_START_MS, 'alert.fired', { data: { nope: 1 } })], damagedJournalLines: 2 });
    assert.equal(r.damagedJournalLines, 3);
    assert.match(handoverMarkdown(r), /Warning: 3 journal line\(s\) could not be read/);
  });

  it('ignores entries outside the window and refuses a window that ends before it starts', () => {
    assert.deepEqual(build([entry(SHIFT_START_MS - 1, 'note', { operator: 'x' }), entry(SHIFT_END_MS + 1, 'note', { operator: 'y' })]).notes, []);
    assert.throws(() => buildHandoverReport({ window: { fromMs: 10, toMs: 5 }, generatedAtMs: 0, entries: [] }));
  });

  it('keeps operator text from breaking the Markdown', () => {
    const r = build([entry(SHIFT_START_MS, 'host.updated', { operator: 'al', message: 'set name to a|b\n# not a heading' })]);
    assert.match(handoverMarkdown(r), /set name to a\\\|b \\# not a heading/);
  });

  it('formats durations and times', () => {
    const rows: [number, string][] = [
      [0, '0 s'],
      [45_000, '45 s'],
      [12 * MIN + 5000, '12 min 05 s'],
      [3 * 60 * MIN + 7 * MIN, '3 h 07 min'],
      [2 * 24 * 60 * MIN + 3 * 60 * MIN, '2 d 03 h'],
    ];
    for (const [ms, text] of rows) assert.equal(durationText(ms), text);
    assert.equal(timeText(SHIFT_START_MS, 'UTC'), '2025-03-01 22:00:00');
    assert.equal(timeText(SHIFT_START_MS, 'America/New_York'), '2025-03-01 17:00:00');
  });
});
