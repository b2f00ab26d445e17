import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import type { Finding } from '../../../../main/core/findings/finding';
import type { FindingAlertEvent } from '../../../../main/core/findings/finding-alerts';
import { createFindingsModule, PUBLISHED_KEY } from '../../../../main/core/findings/findings-module';
import { moduleHarness, operator } from '../module-harness';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

const finding = (key: string, over: Partial<Finding> = {}): Finding => ({
  key, kind: 'origin.redundancy', severity: 'major', hostId: null, summary: `${key} is wrong`, hostDown: false, fix: 'fix it', related: [], ...over,
});

function board(stored: Record<string, unknown> = {}) {
  const h = moduleHarness(stored);
  cleanups.push(h.cleanup);
  const sent: FindingAlertEvent[] = [];
  const findings = createFindingsModule(h.ctx, { alerts: (e) => void sent.push(e) });
  return { ...h, findings, sent };
}

describe('findings board', () => {
  it('keeps each source\'s set, worst first, and sends raise and clear to the alert engine', async () => {
    const b = board();
    b.findings.publish('origins', [finding('a'), finding('b', { severity: 'critical' })]);
    b.findings.publish('network', [finding('c', { severity: 'warning', kind: 'switch.snmp' }), finding('spof', { severity: 'warning', kind: 'network.spof' })]);
    assert.deepEqual((await b.findings.queries['findings.list']({}, operator)).map((f) => `${f.source}:${f.key}`), ['origins:b', 'origins:a', 'network:c', 'network:spof']);
    b.findings.publish('origins', [finding('b', { severity: 'critical' })]);
    b.findings.publish('network', [finding('c', { severity: 'warning', kind: 'switch.snmp' })]);
    const sent = b.sent.map((e) => (e.type === 'topology' ? e.type : `${e.type}:${e.key}`));
    assert.deepEqual(sent, ['raise:a', 'raise:b', 'raise:c', 'clear:a'], 'an advisory (single point of failure) is a finding, never an alert');
    assert.equal(b.eventsOf('findings.changed').length, 4);
    b.findings.publish('origins', [finding('b', { severity: 'critical' })]);
    assert.equal(b.eventsOf('findings.changed').length, 4, 'nothing changed, nothing sent');
    const journal = b.journal.recent(20).map((e) => `${e.kind} ${e.severity}: ${e.message}`);
    assert.deepEqual(journal, [
      'finding.raised major: a is wrong — fix it',
      'finding.raised critical: b is wrong — fix it',
      'finding.raised warning: c is wrong — fix it',
      'finding.raised warning: spof is wrong — fix it',
      'finding.cleared info: cleared: a is wrong',
      'finding.cleared info: cleared: spof is wrong',
    ]);
  });

  it('after a restart, clears what ended while the console was closed', async () => {
    const first = board();
    first.findings.publish('origins', [finding('a'), finding('b')]);
    const saved = first.store.data[PUBLISHED_KEY];
    const second = board({ [PUBLISHED_KEY]: saved });
    assert.deepEqual(await second.findings.queries['findings.list']({}, operator), [], 'what was true then is not shown as current');
    second.findings.publish('origins', [finding('b')]);
    assert.deepEqual(second.sent.map((e) => (e.type === 'topology' ? e.type : `${e.type}:${e.key}`)), ['clear:a']);
    assert.deepEqual(second.journal.recent(5).map((e) => e.kind), ['finding.cleared']);
  });

  it('sends the topology only when it changes', () => {
    const b = board();
    b.findings.publishTopology({ h1: ['sw'] });
    b.findings.publishTopology({ h1: ['sw'] });
    b.findings.publishTopology({ h1: ['sw', 'sw2'] });
    assert.deepEqual(b.sent, [{ type: 'topology', parents: { h1: ['sw'] } }, { type: 'topology', parents: { h1: ['sw', 'sw2'] } }]);
  });

  it('reports a damaged saved set instead of dropping it', () => {
    const b = board({ [PUBLISHED_KEY]: { origins: 'garbage' } });
    assert.deepEqual(b.store.data[`${PUBLISHED_KEY}.rejected`], { origins: 'garbage' });
    assert.ok(b.journal.recent(5).some((e) => e.kind === 'findings.store-invalid'));
  });
});
