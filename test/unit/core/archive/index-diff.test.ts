import assert from 'node:assert/strict';
import { test } from 'node:test';
import { diffHourIndexes } from '../../../../main/core/archive/index-diff';
import { HOUR, seg, T0 } from './fixtures';

test('diffHourIndexes: a member missing a run of segments', () => {
  const a = [0, 1, 2, 3, 4].map((i) => seg(i));
  const b = [0, 4].map((i) => seg(i));
  const d = diffHourIndexes(HOUR, [{ memberId: 'a', segments: a }, { memberId: 'b', segments: b }]);
  assert.deepEqual(d.missing.b!.map((s) => s.name), [1, 2, 3].map((i) => seg(i).name));
  assert.deepEqual(d.missing.a, []);
  assert.deepEqual(d.missing.b![0]!.sources, ['a']);
  assert.deepEqual(d.conflicts, []);
});

test('diffHourIndexes: each member missing something the other has', () => {
  const d = diffHourIndexes(HOUR, [
    { memberId: 'a', segments: [seg(0), seg(1)] },
    { memberId: 'b', segments: [seg(1), seg(2)] },
  ]);
  assert.deepEqual(d.missing.a!.map((s) => s.name), [seg(2).name]);
  assert.deepEqual(d.missing.b!.map((s) => s.name), [seg(0).name]);
});

test('diffHourIndexes: different bytes under one name are a conflict, never a missing segment', () => {
  const d = diffHourIndexes(HOUR, [
    { memberId: 'a', segments: [seg(0), seg(1, 'a')] },
    { memberId: 'b', segments: [seg(0), seg(1, 'b')] },
    { memberId: 'c', segments: [seg(0)] },
  ]);
  assert.equal(d.conflicts.length, 1);
  assert.equal(d.conflicts[0]!.name, seg(1).name);
  assert.deepEqual(d.conflicts[0]!.variants.map((v) => v.memberIds), [['a'], ['b']]);
  assert.deepEqual(d.missing.c, [], 'c is not told to fetch a conflicting segment');
});

test('diffHourIndexes: bit rot is fetched again from a member with a good copy', () => {
  const d = diffHourIndexes(HOUR, [
    { memberId: 'a', segments: [seg(0), seg(1, 'a', { rot: true })] },
    { memberId: 'b', segments: [seg(0), seg(1)] },
  ]);
  assert.deepEqual(d.rot.a!.map((s) => [s.name, s.sources]), [[seg(1).name, ['b']]]);
  assert.deepEqual(d.conflicts, []);
});

test('diffHourIndexes: rot on every holder is unrepairable', () => {
  const d = diffHourIndexes(HOUR, [
    { memberId: 'a', segments: [seg(0, 'a', { rot: true })] },
    { memberId: 'b', segments: [] },
  ]);
  assert.deepEqual(d.rot.a, []);
  assert.deepEqual(d.missing.b, []);
  assert.deepEqual(d.unrepairable.map((u) => [u.memberId, u.name]).sort(), [['a', seg(0).name], ['b', seg(0).name]]);
});

test('diffHourIndexes: segments newer than the settle time are left out', () => {
  const d = diffHourIndexes(HOUR, [{ memberId: 'a', segments: [seg(0), seg(1), seg(2)] }, { memberId: 'b', segments: [seg(0)] }], {
    settledBeforeMs: T0 + 2 * 2000,
  });
  assert.deepEqual(d.missing.b!.map((s) => s.name), [seg(1).name]);
});
