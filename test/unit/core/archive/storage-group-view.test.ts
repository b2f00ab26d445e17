import assert from 'node:assert/strict';
import { test } from 'node:test';
import { storageGroupView } from '../../../../main/core/archive/storage-group-view';

const D1 = 'a'.repeat(64);
const D2 = 'b'.repeat(64);
const m = (memberId: string, healthy: boolean, rootDigest: string | null, diskUsedPct: number | null = 50) => ({ memberId, healthy, rootDigest, diskUsedPct });

test('storageGroupView: two healthy members in step are both handed to clients', () => {
  const v = storageGroupView([m('s1', true, D1), m('s2', true, D1)]);
  assert.deepEqual([v.active, v.outOfStep, v.offline, v.alerts, v.identity.state], [['s1', 's2'], [], [], [], 'identical']);
});

test('storageGroupView: an offline member leaves the group below two healthy', () => {
  const v = storageGroupView([m('s1', true, D1), m('s2', false, D1)]);
  assert.deepEqual(v.active, ['s1']);
  assert.deepEqual(v.offline, ['s2']);
  assert.deepEqual(v.alerts, [{ kind: 'too-few-healthy', healthy: 1, required: 2 }]);
});

test('storageGroupView: the member out of step with the majority is not handed out', () => {
  const v = storageGroupView([m('s1', true, D1), m('s2', true, D1), m('s3', true, D2)]);
  assert.deepEqual([v.active, v.outOfStep, v.identity.state], [['s1', 's2'], ['s3'], 'diverged']);
});

test('storageGroupView: a tie keeps both active and says diverged', () => {
  const v = storageGroupView([m('s1', true, D1), m('s2', true, D2)]);
  assert.deepEqual([v.active, v.identity.state], [['s1', 's2'], 'diverged']);
});

test('storageGroupView: a disk above the limit raises an alert', () => {
  const v = storageGroupView([m('s1', true, D1, 95.5), m('s2', true, D1, 90)]);
  assert.deepEqual(v.alerts, [{ kind: 'disk-above-limit', memberId: 's1', usedPct: 95.5, limitPct: 90 }]);
});
