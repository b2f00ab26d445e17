import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AlertHarness, journalKinds, notifiedIds, ofType } from './alert-harness';

const SEC = 1000;
const MIN = 60 * SEC;

describe('flapping (default: 4 transitions in 5 min, quiet 5 min)', () => {
  it('a key that goes up and down becomes one flapping alert, not one alert per fire', () => {
    const h = new AlertHarness();
    // [what happens, open status after it, flapping after it, alerts created so far]
    const table: ['raise' | 'clear', 'firing' | null, boolean, number][] = [
      ['raise', 'firing', false, 1],
      ['clear', null, false, 1],
      ['raise', 'firing', false, 2],
      ['clear', 'firing', true, 2], // 4th transition: the alert stays open as "flapping"
      ['raise', 'firing', true, 2],
      ['clear', 'firing', true, 2],
      ['raise', 'firing', true, 2],
      ['clear', 'firing', true, 2],
    ];
    table.forEach(([what, status, flapping, created], i) => {
      h.clock.advance(10 * SEC);
      if (what === 'raise') h.raise('k');
      else h.clear('k');
      assert.equal(h.find('k')?.status ?? null, status, `step ${i}`);
      assert.equal(h.find('k')?.flapping ?? false, flapping, `step ${i}`);
      assert.equal(h.alertsOf('k').length, created, `step ${i}`);
    });
    assert.equal(journalKinds(h.log).filter((k) => k === 'alert.flapping').length, 1);
    assert.equal(notifiedIds(h.log).length, 2, 'one notification per alert, none per flap');
  });

  it('the sound does not flap with the alert', () => {
    const h = new AlertHarness();
    for (let i = 0; i < 10; i++) {
      h.clock.advance(10 * SEC);
      if (i % 2 === 0) h.raise('k');
      else h.clear('k');
    }
    const toggles = ofType(h.log, 'sound').map((e) => e.on);
    assert.deepEqual(toggles, [true, false, true], 'on, off after the first resolution, on again — then steady while flapping');
    assert.equal(h.state.soundOn, true);
  });

  it('transitions spread wider than the window never flap', () => {
    const h = new AlertHarness();
    for (let i = 0; i < 10; i++) {
      h.clock.advance(2 * MIN);
      if (i % 2 === 0) h.raise('k');
      else h.clear('k');
    }
    assert.equal(h.alertsOf('k').length, 5);
    assert.equal(journalKinds(h.log).includes('alert.flapping'), false);
  });

  it('a flapping alert whose condition stays clear for the quiet period resolves', () => {
    const h = new AlertHarness();
    for (const what of ['raise', 'clear', 'raise', 'clear'] as const) {
      h.clock.advance(10 * SEC);
      if (what === 'raise') h.raise('k');
      else h.clear('k');
    }
    assert.equal(h.open('k').flapping, true);
    h.wait(5 * MIN - SEC);
    assert.equal(h.open('k').flapping, true, 'still flapping one second before the quiet period ends');
    const effects = h.wait(SEC);
    assert.deepEqual(journalKinds(effects), ['alert.resolved']);
    assert.equal(h.find('k'), undefined);
    assert.equal(h.state.history.at(-1)?.resolveReason, 'flapping-stopped');
  });

  it('a flapping alert whose condition stays raised for the quiet period becomes a steady alert, keeping its ack', () => {
    const h = new AlertHarness();
    for (const what of ['raise', 'clear', 'raise', 'clear', 'raise'] as const) {
      h.clock.advance(10 * SEC);
      if (what === 'raise') h.raise('k');
      else h.clear('k');
    }
    h.ack('k');
    const effects = h.wait(5 * MIN);
    assert.deepEqual(journalKinds(effects), ['alert.flapping-stopped']);
    assert.equal(h.open('k').flapping, false);
    assert.equal(h.open('k').status, 'acknowledged');
    h.clear('k');
    assert.equal(h.find('k'), undefined, 'a steady alert resolves on the next clear');
  });

  it('when the Nth transition is a raise, the new alert is born flapping and says so in its notification', () => {
    const h = new AlertHarness({ flapTransitions: 3 });
    h.raise('k');
    h.clock.advance(SEC);
    h.clear('k');
    h.clock.advance(SEC);
    const effects = h.raise('k');
    assert.equal(h.open('k').flapping, true);
    assert.match(ofType(effects, 'journal')[0]!.entry.message, /^flapping: /);
    assert.equal(ofType(effects, 'notify')[0]?.body, 'Flapping: raised and cleared repeatedly.');
  });

  it('the number of transitions and the window are settings', () => {
    const h = new AlertHarness({ flapTransitions: 6, flapWindowMs: 60 * SEC });
    for (let i = 0; i < 12; i++) {
      h.clock.advance(5 * SEC);
      if (i % 2 === 0) h.raise('k');
      else h.clear('k');
    }
    assert.equal(h.alertsOf('k').length, 3);
    assert.equal(h.open('k').flapping, true);
  });

  it('forgets settled conditions so the state does not grow with every key ever seen', () => {
    const h = new AlertHarness();
    for (let i = 0; i < 50; i++) {
      h.raise(`k${i}`, 'info');
      h.clear(`k${i}`);
    }
    assert.equal(h.state.conditions.length, 50);
    h.wait(5 * MIN);
    assert.equal(h.state.conditions.length, 0);
  });
});
