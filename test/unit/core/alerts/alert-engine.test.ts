import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { initialAlertState, next } from '../../../../main/core/alerts/alert-engine';
import { alertById, openAlerts, unacknowledgedCount } from '../../../../main/core/alerts/alert-queries';
import { AlertEngineState, AlertEvent } from '../../../../main/core/alerts/alert-schemas';
import { AlertHarness, journalKinds, notifiedIds, ofType } from './alert-harness';

type Step = (h: AlertHarness) => unknown;
const raise = (key: string, severity: 'critical' | 'major' | 'warning' = 'critical'): Step => (h) => h.raise(key, severity);
const clear = (key: string): Step => (h) => h.clear(key);
const ack = (key: string): Step => (h) => h.ack(key);
const wait = (ms: number): Step => (h) => h.wait(ms);

describe('alert lifecycle (transition table)', () => {
  const rows: { name: string; steps: Step[]; status: 'firing' | 'acknowledged' | null; alertsCreated: number; resolved: number }[] = [
    { name: 'a raise fires an alert', steps: [raise('k')], status: 'firing', alertsCreated: 1, resolved: 0 },
    { name: 'a repeated raise is deduplicated', steps: [raise('k'), wait(1000), raise('k')], status: 'firing', alertsCreated: 1, resolved: 0 },
    { name: 'a clear resolves a firing alert', steps: [raise('k'), wait(1000), clear('k')], status: null, alertsCreated: 1, resolved: 1 },
    { name: 'an ack moves firing → acknowledged', steps: [raise('k'), ack('k')], status: 'acknowledged', alertsCreated: 1, resolved: 0 },
    { name: 'a raise of an acknowledged alert stays acknowledged', steps: [raise('k'), ack('k'), raise('k')], status: 'acknowledged', alertsCreated: 1, resolved: 0 },
    { name: 'a clear resolves an acknowledged alert', steps: [raise('k'), ack('k'), clear('k')], status: null, alertsCreated: 1, resolved: 1 },
    {
      name: 'a re-fire after an acknowledged alert resolved starts a new alert',
      steps: [raise('k'), ack('k'), wait(60_000), clear('k'), wait(60_000), raise('k')],
      status: 'firing',
      alertsCreated: 2,
      resolved: 1,
    },
    { name: 'a clear of a key never raised does nothing', steps: [clear('k')], status: null, alertsCreated: 0, resolved: 0 },
    { name: 'a second clear does nothing', steps: [raise('k'), clear('k'), clear('k')], status: null, alertsCreated: 1, resolved: 1 },
  ];
  for (const row of rows) {
    it(row.name, () => {
      const h = new AlertHarness();
      for (const step of row.steps) step(h);
      assert.equal(h.find('k')?.status ?? null, row.status);
      assert.equal(h.alertsOf('k').length, row.alertsCreated);
      assert.equal(h.state.history.length, row.resolved);
    });
  }
});

describe('alert engine', () => {
  it('dedup keeps the first firing time and counts the raises, with the latest summary', () => {
    const h = new AlertHarness();
    h.raise('host:h1:health', 'critical', { summary: 'enc-01 is down' });
    const firedAtMs = h.clock.now();
    h.clock.advance(5000);
    const effects = h.raise('host:h1:health', 'critical', { summary: 'enc-01 is still down' });
    const alert = h.open('host:h1:health');
    assert.equal(alert.firedAtMs, firedAtMs);
    assert.equal(alert.lastSeenAtMs, firedAtMs + 5000);
    assert.equal(alert.raiseCount, 2);
    assert.equal(alert.summary, 'enc-01 is still down');
    assert.deepEqual(journalKinds(effects), [], 'a deduplicated raise is not journalled again');
    assert.deepEqual(notifiedIds(effects), [], 'nor notified again');
  });

  it('journals the fire, the ack (with who and the comment) and the resolution with its duration', () => {
    const h = new AlertHarness();
    assert.deepEqual(journalKinds(h.raise('k')), ['alert.fired']);
    h.clock.advance(30_000);
    const ackEffects = h.ack('k', 'alice', 'rebooting the encoder');
    const [ackEntry] = ofType(ackEffects, 'journal');
    assert.equal(ackEntry?.entry.kind, 'alert.acknowledged');
    assert.equal(ackEntry?.entry.operator, 'alice');
    assert.match(ackEntry!.entry.message, /alice acknowledged .*rebooting the encoder/);
    assert.deepEqual(h.open('k').ack, { by: 'alice', atMs: h.clock.now(), comment: 'rebooting the encoder' });
    h.clock.advance(90_000);
    const [resolved] = ofType(h.clear('k'), 'journal');
    assert.equal(resolved?.entry.kind, 'alert.resolved');
    assert.equal(resolved?.entry.data['durationMs'], 120_000);
    assert.equal(resolved?.entry.data['reason'], 'cleared');
  });

  it('notifies once for a new critical or major alert, never for minor, warning or info', () => {
    const h = new AlertHarness();
    const rows = [
      ['critical', 1],
      ['major', 1],
      ['minor', 0],
      ['warning', 0],
      ['info', 0],
    ] as const;
    for (const [severity, notifications] of rows) {
      const effects = h.raise(`k-${severity}`, severity);
      assert.equal(ofType(effects, 'notify').length, notifications, severity);
      assert.equal(ofType(h.raise(`k-${severity}`, severity), 'notify').length, 0, `${severity} repeated`);
    }
    const [notify] = ofType(h.log, 'notify');
    assert.equal(notify?.title, 'Critical: k-critical is bad');
    assert.equal(notify?.alertId, h.open('k-critical').id);
  });

  it('an escalation re-fires an acknowledged alert, notifies, and needs a new ack', () => {
    const h = new AlertHarness();
    h.raise('k', 'warning');
    h.ack('k');
    const effects = h.raise('k', 'critical');
    assert.equal(h.open('k').status, 'firing');
    assert.equal(h.open('k').severity, 'critical');
    assert.deepEqual(journalKinds(effects), ['alert.escalated']);
    assert.deepEqual(notifiedIds(effects), [h.open('k').id]);
    assert.equal(h.raise('k', 'warning').length, 1, 'a milder raise changes only the last-seen time');
    assert.equal(h.open('k').severity, 'critical', 'severity never drops while the alert is open');
  });

  it('refuses to acknowledge twice or to acknowledge a resolved or unknown alert, and leaves the state alone', () => {
    const h = new AlertHarness();
    h.raise('k');
    h.ack('k', 'alice');
    const id = h.open('k').id;
    const before = h.state;
    assert.deepEqual(h.send({ type: 'ack', alertId: id, operator: 'bob', comment: '' }), [{ type: 'refused', reason: 'already acknowledged by alice' }]);
    assert.equal(h.state, before);
    h.clear('k');
    assert.deepEqual(h.send({ type: 'ack', alertId: id, operator: 'bob', comment: '' }), [{ type: 'refused', reason: `alert ${id} is already resolved` }]);
    assert.deepEqual(h.send({ type: 'ack', alertId: 'a-nope', operator: 'bob', comment: '' }), [{ type: 'refused', reason: 'no alert a-nope' }]);
  });

  it('an operator can resolve an alert by hand; the next raise after that is a new alert', () => {
    const h = new AlertHarness();
    h.raise('k');
    const first = h.open('k').id;
    const effects = h.send({ type: 'resolve', alertId: first, operator: 'bob', comment: 'stale' });
    assert.deepEqual(journalKinds(effects), ['alert.resolved']);
    assert.equal(alertById(h.state, first)?.resolvedBy, 'bob');
    assert.equal(alertById(h.state, first)?.resolveReason, 'manual');
    h.raise('k');
    assert.notEqual(h.open('k').id, first);
  });

  it('removing a host resolves its alerts and forgets its maintenance and parent links', () => {
    const h = new AlertHarness();
    h.send({ type: 'topology', parents: { h1: ['sw1'], h2: ['sw1', 'sw2'] } });
    h.send({ type: 'maintenance', hostId: 'sw1', on: true });
    h.raise('host:sw1:health', 'critical', { hostId: 'sw1', hostDown: true });
    h.raise('other', 'major');
    h.send({ type: 'host.removed', hostId: 'sw1', operator: 'carol' });
    assert.deepEqual(h.state.open.map((a) => a.key), ['other']);
    assert.equal(h.state.history.at(-1)?.resolveReason, 'host-removed');
    assert.deepEqual(h.state.maintenanceHostIds, []);
    assert.deepEqual(h.state.parents, { h2: ['sw2'] });
  });

  it('reports changed alerts so the shell can publish them, and nothing on a quiet tick', () => {
    const h = new AlertHarness();
    const [changed] = ofType(h.raise('k'), 'changed');
    assert.deepEqual(changed, { type: 'changed', alertIds: [h.open('k').id], silences: false });
    assert.deepEqual(h.wait(1000), []);
  });

  it('lists open alerts loud-first and worst-first, and counts the unacknowledged ones for the tray badge', () => {
    const h = new AlertHarness();
    h.raise('minor', 'warning');
    h.raise('crit', 'critical');
    h.raise('major', 'major');
    h.ack('major');
    assert.deepEqual(openAlerts(h.state).map((a) => a.key), ['crit', 'minor', 'major']);
    assert.equal(unacknowledgedCount(h.state), 2);
  });

  it('keeps a bounded history of resolved alerts', () => {
    const h = new AlertHarness({ historyLimit: 3 });
    for (let i = 0; i < 5; i++) {
      h.raise(`k${i}`);
      h.clear(`k${i}`);
    }
    assert.deepEqual(h.state.history.map((a) => a.key), ['k2', 'k3', 'k4']);
  });

  it('never mutates the state it was given', () => {
    const state = initialAlertState();
    const frozen = structuredClone(state);
    next(state, { type: 'raise', key: 'k', kind: 'test', severity: 'critical', hostId: null, summary: 's' }, 1000);
    assert.deepEqual(state, frozen);
  });

  it('its state and events round-trip through their schemas (the shell may persist the state)', () => {
    const h = new AlertHarness();
    h.raise('k', 'critical', { hostId: 'h1' });
    h.ack('k');
    h.send({ type: 'silence.add', matcher: { hostId: 'h2' }, operator: 'alice', comment: '', expiresAtMs: h.clock.now() + 60_000 });
    h.raise('j');
    h.clear('j');
    assert.deepEqual(AlertEngineState.parse(JSON.parse(JSON.stringify(h.state))), h.state);
    assert.equal(AlertEvent.safeParse({ type: 'ack', alertId: 'a', operator: '', comment: '' }).success, false, 'an ack names its operator');
  });
});
