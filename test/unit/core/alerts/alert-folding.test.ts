import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { foldedUnder } from '../../../../main/core/alerts/alert-queries';
import { AlertHarness, journalKinds, notifiedIds, ofType, soundChange } from './alert-harness';

const SEC = 1000;

/** core ← sw1 ← (h1, h2); h3 has two uplinks, sw1 and sw2. */
function plant(settings: { parentGraceMs?: number } = {}): AlertHarness {
  const h = new AlertHarness(settings);
  h.send({ type: 'topology', parents: { sw1: ['core'], sw2: ['core'], h1: ['sw1'], h2: ['sw1'], h3: ['sw1', 'sw2'] } });
  return h;
}
const down = (h: AlertHarness, hostId: string) => h.raise(`host:${hostId}:health`, 'critical', { hostId, hostDown: true, kind: 'host.health' });
const up = (h: AlertHarness, hostId: string) => h.clear(`host:${hostId}:health`);
const alertOf = (h: AlertHarness, hostId: string) => h.open(`host:${hostId}:health`);

describe('parent/child folding (root cause)', () => {
  it('hosts behind a dead switch fold under the switch’s alert: one notification, one alarm', () => {
    const h = plant();
    down(h, 'sw1');
    const effects = [...down(h, 'h1'), ...down(h, 'h2')];
    const root = alertOf(h, 'sw1').id;
    assert.deepEqual(notifiedIds(h.log), [root]);
    assert.deepEqual(alertOf(h, 'h1').suppressedBy, { reason: 'parent', rootAlertId: root, parentHostIds: ['sw1'], heldUntilMs: null });
    assert.equal(ofType(effects, 'journal')[0]!.entry.message, 'alert: host:h1:health is bad (folded under root cause "host:sw1:health is bad")');
    assert.deepEqual(foldedUnder(h.state, root).map((a) => a.hostId).sort(), ['h1', 'h2']);
    assert.equal(soundChange(h.ack('host:sw1:health')), false, 'acknowledging the root cause silences the wall');
  });

  it('children that fired first fold under the switch when it is found dead', () => {
    const h = plant();
    down(h, 'h1');
    down(h, 'h2');
    const effects = down(h, 'sw1');
    assert.deepEqual(journalKinds(effects), ['alert.fired', 'alert.suppressed', 'alert.suppressed']);
    assert.equal(alertOf(h, 'h1').suppressedBy?.reason, 'parent');
    assert.equal(soundChange(h.ack('host:sw1:health')), false, 'the folded children do not keep the alarm on');
  });

  it('a host folds only when every one of its uplinks is down', () => {
    const h = plant();
    down(h, 'sw1');
    assert.equal(notifiedIds(down(h, 'h3')).length, 1, 'sw2 still carries h3: its alert is its own');
    const effects = down(h, 'sw2');
    assert.equal(alertOf(h, 'h3').suppressedBy?.reason, 'parent');
    assert.deepEqual(journalKinds(effects), ['alert.fired', 'alert.suppressed']);
  });

  it('the root cause is the highest dead ancestor', () => {
    const h = plant();
    down(h, 'core');
    down(h, 'sw1');
    down(h, 'h1');
    const root = alertOf(h, 'core').id;
    for (const host of ['sw1', 'h1']) {
      const s = alertOf(h, host).suppressedBy;
      assert.equal(s?.reason === 'parent' ? s.rootAlertId : null, root, host);
    }
    assert.deepEqual(notifiedIds(h.log), [root]);
  });

  it('every alert of a child host folds, not only its health', () => {
    const h = plant();
    down(h, 'sw1');
    h.raise('channel:h1:c7', 'major', { hostId: 'h1', summary: 'channel 7 has no output' });
    assert.equal(h.open('channel:h1:c7').suppressedBy?.reason, 'parent');
  });

  it('a parent alert that does not say the host is down folds nothing', () => {
    const h = plant();
    h.raise('switch:sw1:errors', 'major', { hostId: 'sw1', hostDown: false });
    assert.equal(down(h, 'h1').filter((e) => e.type === 'notify').length, 1);
  });

  it('when the switch comes back, children that recover within the grace period never notify', () => {
    const h = plant({ parentGraceMs: 15 * SEC });
    down(h, 'sw1');
    down(h, 'h1');
    up(h, 'sw1');
    const held = alertOf(h, 'h1').suppressedBy;
    assert.equal(held?.reason === 'parent' ? held.heldUntilMs : null, h.clock.now() + 15 * SEC);
    h.wait(3 * SEC);
    const effects = up(h, 'h1');
    assert.deepEqual(journalKinds(effects), ['alert.resolved']);
    assert.deepEqual(notifiedIds(h.log), [h.state.history[0]!.id], 'only the switch was ever notified');
  });

  it('children still down after the grace period unfold and notify: they are real problems now', () => {
    const h = plant({ parentGraceMs: 15 * SEC });
    down(h, 'sw1');
    down(h, 'h1');
    up(h, 'sw1');
    assert.deepEqual(h.wait(15 * SEC - 1), []);
    const effects = h.wait(1);
    assert.deepEqual(journalKinds(effects), ['alert.unsuppressed']);
    assert.deepEqual(notifiedIds(effects), [alertOf(h, 'h1').id]);
    assert.equal(soundChange(effects), true);
  });

  it('a parent that dies again during the grace period keeps the fold', () => {
    const h = plant({ parentGraceMs: 15 * SEC });
    down(h, 'sw1');
    down(h, 'h1');
    up(h, 'sw1');
    h.wait(5 * SEC);
    down(h, 'sw1');
    h.wait(30 * SEC);
    const s = alertOf(h, 'h1').suppressedBy;
    assert.equal(s?.reason === 'parent' ? s.rootAlertId : null, alertOf(h, 'sw1').id);
  });

  it('a cycle in the parent links cannot silence both hosts', () => {
    const h = new AlertHarness();
    h.send({ type: 'topology', parents: { a: ['b'], b: ['a'] } });
    down(h, 'a');
    down(h, 'b');
    assert.equal(notifiedIds(h.log).length, 2);
  });

  it('new parent links apply at once', () => {
    const h = new AlertHarness();
    down(h, 'sw1');
    down(h, 'h1');
    assert.equal(alertOf(h, 'h1').suppressedBy, null);
    h.send({ type: 'topology', parents: { h1: ['sw1'] } });
    assert.equal(alertOf(h, 'h1').suppressedBy?.reason, 'parent');
  });
});
