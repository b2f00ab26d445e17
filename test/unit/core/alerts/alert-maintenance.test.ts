import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AlertHarness, journalKinds, notifiedIds, ofType, soundChange } from './alert-harness';

describe('maintenance', () => {
  it('alerts of a host in maintenance are recorded but not notified nor sounded', () => {
    const h = new AlertHarness();
    h.send({ type: 'maintenance', hostId: 'h1', on: true });
    const effects = h.raise('host:h1:health', 'critical', { hostId: 'h1', hostDown: true });
    assert.deepEqual(journalKinds(effects), ['alert.fired']);
    assert.match(ofType(effects, 'journal')[0]!.entry.message, /host in maintenance/);
    assert.deepEqual(notifiedIds(effects), []);
    assert.equal(h.state.soundOn, false);
    assert.deepEqual(h.open('host:h1:health').suppressedBy, { reason: 'maintenance', hostId: 'h1' });
  });

  it('other hosts are not affected', () => {
    const h = new AlertHarness();
    h.send({ type: 'maintenance', hostId: 'h1', on: true });
    assert.equal(notifiedIds(h.raise('host:h2:health', 'critical', { hostId: 'h2' })).length, 1);
  });

  it('leaving maintenance with the alert still firing notifies and sounds', () => {
    const h = new AlertHarness();
    h.send({ type: 'maintenance', hostId: 'h1', on: true });
    h.raise('host:h1:health', 'critical', { hostId: 'h1' });
    const effects = h.send({ type: 'maintenance', hostId: 'h1', on: false });
    assert.deepEqual(journalKinds(effects), ['alert.unsuppressed']);
    assert.deepEqual(notifiedIds(effects), [h.open('host:h1:health').id]);
    assert.equal(soundChange(effects), true);
  });

  it('entering maintenance quiets the host’s open alerts', () => {
    const h = new AlertHarness();
    h.raise('host:h1:health', 'critical', { hostId: 'h1' });
    const effects = h.send({ type: 'maintenance', hostId: 'h1', on: true });
    assert.equal(soundChange(effects), false);
    assert.deepEqual(journalKinds(effects), ['alert.suppressed']);
  });
});
