import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SilenceMatcher } from '../../../../main/core/alerts/alert-schemas';
import { silenceMatches } from '../../../../main/core/alerts/alert-suppression';
import { AlertHarness, journalKinds, notifiedIds, ofType, soundChange } from './alert-harness';

const MIN = 60_000;
const alert = { key: 'host:h1:health', hostId: 'h1', severity: 'critical', kind: 'host.health' } as const;

describe('silence matchers (every given field must match)', () => {
  const rows: [string, SilenceMatcher, boolean][] = [
    ['key prefix', { keyPrefix: 'host:h1:' }, true],
    ['other key prefix', { keyPrefix: 'host:h2:' }, false],
    ['host', { hostId: 'h1' }, true],
    ['other host', { hostId: 'h2' }, false],
    ['severity list', { severity: ['major', 'critical'] }, true],
    ['other severity', { severity: ['warning'] }, false],
    ['kind', { kind: 'host.health' }, true],
    ['other kind', { kind: 'host.link' }, false],
    ['host and kind', { hostId: 'h1', kind: 'host.health' }, true],
    ['host but not kind', { hostId: 'h1', kind: 'host.link' }, false],
  ];
  for (const [name, matcher, matches] of rows) {
    it(`${name} → ${matches ? 'matches' : 'does not match'}`, () => assert.equal(silenceMatches(matcher, alert), matches));
  }
  it('an empty matcher is refused (it would silence everything)', () => {
    assert.equal(SilenceMatcher.safeParse({}).success, false);
    assert.equal(SilenceMatcher.safeParse({ hostId: 'h1', colour: 'red' }).success, false);
  });
});

describe('silences', () => {
  const silence = (h: AlertHarness, matcher: SilenceMatcher, forMs: number) =>
    h.send({ type: 'silence.add', matcher, operator: 'alice', comment: 'planned work', expiresAtMs: h.clock.now() + forMs });

  it('an alert that fires under a silence is recorded, but neither notified nor sounded', () => {
    const h = new AlertHarness();
    silence(h, { hostId: 'h1' }, 30 * MIN);
    const effects = h.raise('host:h1:health', 'critical', { hostId: 'h1' });
    assert.deepEqual(journalKinds(effects), ['alert.fired']);
    assert.equal(ofType(effects, 'journal')[0]?.entry.severity, 'info', 'a quiet alert does not shout in the journal');
    assert.deepEqual(notifiedIds(effects), []);
    assert.equal(soundChange(effects), undefined);
    assert.equal(h.open('host:h1:health').suppressedBy?.reason, 'silence');
  });

  it('a silence added while an alert fires stops its sound; when it expires the alert is loud again', () => {
    const h = new AlertHarness();
    assert.equal(soundChange(h.raise('k', 'critical', { hostId: 'h1' })), true);
    const added = silence(h, { keyPrefix: 'k' }, 10 * MIN);
    assert.equal(soundChange(added), false);
    assert.deepEqual(journalKinds(added), ['silence.added', 'alert.suppressed']);
    assert.deepEqual(ofType(added, 'changed')[0], { type: 'changed', alertIds: [h.open('k').id], silences: true });
    assert.deepEqual(h.wait(10 * MIN - 1), [], 'nothing happens before the expiry');
    const expired = h.wait(1);
    assert.deepEqual(journalKinds(expired), ['silence.expired', 'alert.unsuppressed']);
    assert.equal(soundChange(expired), true);
    assert.deepEqual(notifiedIds(expired), [], 'it was notified before the silence; not twice');
    assert.deepEqual(h.state.silences, []);
  });

  it('an alert that first fired silenced is notified when the silence expires and it is still firing', () => {
    const h = new AlertHarness();
    silence(h, { severity: ['major'] }, 5 * MIN);
    h.raise('k', 'major');
    assert.deepEqual(notifiedIds(h.log), []);
    assert.deepEqual(notifiedIds(h.wait(5 * MIN)), [h.open('k').id]);
  });

  it('an operator can remove a silence early; removing it twice is refused', () => {
    const h = new AlertHarness();
    silence(h, { kind: 'test' }, 60 * MIN);
    h.raise('k');
    const id = h.state.silences[0]!.id;
    const removed = h.send({ type: 'silence.remove', silenceId: id, operator: 'bob' });
    assert.deepEqual(journalKinds(removed), ['silence.removed', 'alert.unsuppressed']);
    assert.equal(ofType(removed, 'journal')[0]?.entry.operator, 'bob');
    assert.equal(soundChange(removed), true);
    assert.equal(h.send({ type: 'silence.remove', silenceId: id, operator: 'bob' })[0]?.type, 'refused');
  });

  it('refuses a silence that has already expired', () => {
    const h = new AlertHarness();
    assert.deepEqual(silence(h, { hostId: 'h1' }, 0), [{ type: 'refused', reason: 'a silence must expire in the future' }]);
  });

  it('a silence that does not match leaves the alert loud', () => {
    const h = new AlertHarness();
    silence(h, { hostId: 'h2' }, 60 * MIN);
    h.raise('k', 'critical', { hostId: 'h1' });
    assert.equal(h.open('k').suppressedBy, null);
    assert.equal(h.state.soundOn, true);
  });
});
