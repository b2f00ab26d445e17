import assert from 'node:assert/strict';
import { test } from 'node:test';
import { diffHourIndexes } from '../../../../main/core/archive/index-diff';
import { mergeIntoRanges, missingRangesByMember } from '../../../../main/core/archive/missing-ranges';
import { HOUR, seg, T0 } from './fixtures';

const at = (i: number) => T0 + i * 2000;

const cases: { name: string; slots: number[]; want: [number, number, number][] }[] = [
  { name: 'nothing missing', slots: [], want: [] },
  { name: 'one segment', slots: [3], want: [[at(3), at(4), 1]] },
  { name: 'contiguous run is one range', slots: [3, 4, 5], want: [[at(3), at(6), 3]] },
  { name: 'two runs', slots: [1, 2, 7, 8, 9], want: [[at(1), at(3), 2], [at(7), at(10), 3]] },
  { name: 'unsorted input', slots: [9, 1, 8, 2, 7], want: [[at(1), at(3), 2], [at(7), at(10), 3]] },
];

for (const c of cases) {
  test(`mergeIntoRanges: ${c.name}`, () => {
    const got = mergeIntoRanges(c.slots.map((i) => seg(i)));
    assert.deepEqual(got.map((r) => [r.fromMs, r.toMs, r.segments]), c.want);
  });
}

test('mergeIntoRanges: segments a little apart (rounding) stay one range; a real gap splits', () => {
  const s = (startMs: number) => ({ startMs, durationMs: 2000, sizeBytes: 10 });
  assert.equal(mergeIntoRanges([s(0), s(2040), s(4080)]).length, 1);
  assert.equal(mergeIntoRanges([s(0), s(5000)]).length, 2);
});

test('missingRangesByMember: missing and rotten segments of each member, merged', () => {
  const d = diffHourIndexes(HOUR, [
    { memberId: 'a', segments: [0, 1, 2, 3, 4, 5].map((i) => seg(i, 'a', { rot: i === 5 })) },
    { memberId: 'b', segments: [0, 5].map((i) => seg(i)) },
  ]);
  const got = missingRangesByMember([d]);
  assert.deepEqual(got.b!.map((r) => [r.fromMs, r.toMs, r.segments, r.bytes]), [[at(1), at(5), 4, 4000]]);
  assert.deepEqual(got.a!.map((r) => [r.fromMs, r.toMs]), [[at(5), at(6)]]);
});
