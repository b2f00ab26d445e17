import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeClock } from '../../../../main/core/clock';
import { emptyGapTracker, trackGaps } from '../../../../main/core/archive/gap-tracker';

const MAX_AGE_MS = 60_000;
const gap = (segment: string, memberId = 'b') => ({ memberId, stream: 'lab', segment });

test('trackGaps: a gap becomes overdue only after the set time, and forgets repaired gaps', () => {
  const clock = new FakeClock();
  let state = emptyGapTracker();
  let r = trackGaps(state, [gap('s1'), gap('s2')], clock.now(), MAX_AGE_MS);
  assert.deepEqual(r.overdue, []);
  state = r.state;
  clock.advance(30_000);
  r = trackGaps(state, [gap('s1'), gap('s2'), gap('s3')], clock.now(), MAX_AGE_MS);
  assert.deepEqual(r.overdue, []);
  state = r.state;
  clock.advance(30_000);
  r = trackGaps(state, [gap('s1'), gap('s3')], clock.now(), MAX_AGE_MS);
  assert.deepEqual(r.overdue, [{ memberId: 'b', stream: 'lab', segments: 1, oldestSeenMs: clock.now() - 60_000 }]);
  state = r.state;
  assert.equal(Object.keys(state.firstSeenMs).length, 2, 's2 was repaired and is forgotten');
  r = trackGaps(state, [], clock.now(), MAX_AGE_MS);
  assert.deepEqual([r.overdue, r.state.firstSeenMs], [[], {}]);
});
