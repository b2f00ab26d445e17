import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { alarmingAlertIds, soundShouldBeOn } from '../../../../main/core/alerts/alert-sound';
import { AlertHarness, ofType, soundChange } from './alert-harness';

type Step = [string, (h: AlertHarness) => unknown, boolean];

describe('the wall alarm: on while an unacknowledged critical alert fires, unless muted', () => {
  const table: Step[] = [
    ['a major alert fires', (h) => h.raise('maj', 'major'), false],
    ['a critical alert fires', (h) => h.raise('c1', 'critical'), true],
    ['a second critical fires', (h) => h.raise('c2', 'critical'), true],
    ['the first is acknowledged', (h) => h.ack('c1'), true],
    ['the second is acknowledged', (h) => h.ack('c2'), false],
    ['a third critical fires', (h) => h.raise('c3', 'critical'), true],
    ['the wall is muted', (h) => h.send({ type: 'mute', muted: true, operator: 'alice' }), false],
    ['a fourth critical fires while muted', (h) => h.raise('c4', 'critical'), false],
    ['the wall is unmuted', (h) => h.send({ type: 'mute', muted: false, operator: 'alice' }), true],
    ['the third resolves', (h) => h.clear('c3'), true],
    ['the fourth is silenced', (h) => h.send({ type: 'silence.add', matcher: { keyPrefix: 'c4' }, operator: 'bob', comment: '', expiresAtMs: h.clock.now() + 60_000 }), false],
    ['the silence expires', (h) => h.wait(60_000), true],
    ['the fourth resolves', (h) => h.clear('c4'), false],
  ];

  it('follows the table, and says so only when it changes', () => {
    const h = new AlertHarness();
    let on = false;
    for (const [name, step, expected] of table) {
      const before = h.log.length;
      step(h);
      const effects = h.log.slice(before);
      assert.equal(h.state.soundOn, expected, name);
      assert.equal(soundShouldBeOn(h.state), expected, name);
      assert.equal(soundChange(effects), expected === on ? undefined : expected, `${name}: sound effect`);
      on = expected;
    }
  });

  it('names the alerts that keep it on, for the alarm banner', () => {
    const h = new AlertHarness();
    h.raise('c1', 'critical');
    h.clock.advance(1000);
    const [sound] = ofType(h.raise('c2', 'critical'), 'sound');
    assert.equal(sound, undefined, 'already on');
    assert.deepEqual(alarmingAlertIds(h.state), [h.open('c1').id, h.open('c2').id]);
    assert.deepEqual(ofType(h.log, 'sound')[0], { type: 'sound', on: true, alertIds: [h.open('c1').id] });
  });

  it('which severities sound is a setting', () => {
    const h = new AlertHarness({ soundSeverities: ['critical', 'major'] });
    assert.equal(soundChange(h.raise('maj', 'major')), true);
  });

  it('muting is journalled with the operator', () => {
    const h = new AlertHarness();
    const [entry] = ofType(h.send({ type: 'mute', muted: true, operator: 'alice' }), 'journal');
    assert.equal(entry?.entry.kind, 'alerts.muted');
    assert.equal(entry?.entry.operator, 'alice');
    assert.deepEqual(h.send({ type: 'mute', muted: true, operator: 'alice' }), [], 'muting twice changes nothing');
  });
});
