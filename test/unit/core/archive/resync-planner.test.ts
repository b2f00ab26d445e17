import assert from 'node:assert/strict';
import { test } from 'node:test';
import { diffHourIndexes } from '../../../../main/core/archive/index-diff';
import { planResync, pullRequestFor } from '../../../../main/core/archive/resync-planner';
import { HOUR, seg } from './fixtures';

const names = (...slots: number[]) => slots.map((i) => seg(i).name);

test('planResync: each member pulls only what it lacks, from the member that has it', () => {
  const d = diffHourIndexes(HOUR, [
    { memberId: 'a', segments: [0, 1, 2].map((i) => seg(i)) },
    { memberId: 'b', segments: [2, 3].map((i) => seg(i)) },
  ]);
  const plan = planResync('lab', [d]);
  assert.deepEqual(
    plan.pulls.map((p) => [p.memberId, p.sourceId, p.segments]),
    [
      ['a', 'b', names(3)],
      ['b', 'a', names(0, 1)],
    ],
  );
  assert.equal(plan.bytesTotal, 3000);
  assert.ok(!plan.pulls.some((p) => p.segments.includes(seg(2).name)), 'a segment both hold is never sent');
});

test('planResync: identical members need nothing', () => {
  const d = diffHourIndexes(HOUR, [
    { memberId: 'a', segments: [seg(0)] },
    { memberId: 'b', segments: [seg(0)] },
  ]);
  assert.deepEqual(planResync('lab', [d]), { pulls: [], blocked: [], bytesTotal: 0 });
});

test('planResync: conflicts are left out of the plan', () => {
  const d = diffHourIndexes(HOUR, [
    { memberId: 'a', segments: [seg(0, 'a'), seg(1)] },
    { memberId: 'b', segments: [seg(0, 'b')] },
  ]);
  const plan = planResync('lab', [d]);
  assert.deepEqual(plan.pulls.map((p) => p.segments), [names(1)]);
});

test('planResync: rotten copies are repaired and counted', () => {
  const d = diffHourIndexes(HOUR, [
    { memberId: 'a', segments: [seg(0), seg(1, 'a', { rot: true })] },
    { memberId: 'b', segments: [seg(0), seg(1)] },
  ]);
  const plan = planResync('lab', [d]);
  assert.deepEqual(plan.pulls.map((p) => [p.memberId, p.sourceId, p.segments, p.repairs]), [['a', 'b', names(1), 1]]);
});

test('planResync: preferred source first, otherwise spread over sources by bytes', () => {
  const full = [0, 1, 2, 3].map((i) => seg(i));
  const members = [
    { memberId: 'a', segments: full },
    { memberId: 'b', segments: full },
    { memberId: 'c', segments: [] },
  ];
  const d = diffHourIndexes(HOUR, members);
  const preferred = planResync('lab', [d], { preferSources: ['b'] });
  assert.deepEqual(preferred.pulls.map((p) => [p.memberId, p.sourceId, p.segments.length]), [['c', 'b', 4]]);
  const spread = planResync('lab', [d]);
  assert.deepEqual(spread.pulls.map((p) => [p.sourceId, p.segments.length]), [['a', 2], ['b', 2]]);
});

test('planResync: offline members neither pull nor serve', () => {
  const d = diffHourIndexes(HOUR, [
    { memberId: 'a', segments: [seg(0), seg(1)] },
    { memberId: 'b', segments: [seg(0)] },
    { memberId: 'c', segments: [] },
  ]);
  const plan = planResync('lab', [d], { online: ['b', 'c'] });
  assert.deepEqual(plan.pulls.map((p) => [p.memberId, p.sourceId, p.segments]), [['c', 'b', names(0)]]);
  assert.deepEqual(plan.blocked.map((b) => [b.memberId, b.name]), [['b', seg(1).name], ['c', seg(1).name]]);
});

test('planResync: long lists are cut into commands the agent accepts', () => {
  const d = diffHourIndexes(HOUR, [
    { memberId: 'a', segments: Array.from({ length: 25 }, (_, i) => seg(i)) },
    { memberId: 'b', segments: [] },
  ]);
  const plan = planResync('lab', [d], { maxSegmentsPerPull: 10 });
  assert.deepEqual(plan.pulls.map((p) => p.segments.length), [10, 10, 5]);
});

test('pullRequestFor: the body of POST /v1/archive/pull', () => {
  const d = diffHourIndexes(HOUR, [{ memberId: 'a', segments: [seg(0)] }, { memberId: 'b', segments: [] }]);
  const [pull] = planResync('lab', [d]).pulls;
  assert.deepEqual(pullRequestFor(pull!, { address: '127.0.0.6:7411', token: 'x'.repeat(16) }), {
    stream: 'lab',
    peer: { address: '127.0.0.6:7411', token: 'x'.repeat(16) },
    segments: names(0),
  });
});
