import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ArchivePullRequest,
  HourIndex,
  hourKeyOfMs,
  SegmentName,
  segmentNameForStartMs,
  startMsOfSegmentName,
  StreamName,
} from '../../../../../agents/protocol/archive';

const T = Date.UTC(2025, 0, 1, 10, 15, 2, 346);

test('segment names round-trip their start time to the millisecond', () => {
  assert.equal(segmentNameForStartMs(T), '20250101T101502.346Z.ts');
  assert.equal(startMsOfSegmentName('20250101T101502.346Z.ts'), T);
  assert.equal(hourKeyOfMs(T), '20250101T10');
});

const hostileNames = [
  '../20250101T101502.346Z.ts',
  '/etc/passwd',
  '20250101T101502.346Z.ts/../../x',
  '20250101T101502.346Z.ts\0',
  '..',
  '',
  '20250231T101502.346Z.ts', // 31 February
  '20250101T256000.000Z.ts',
  '20250101T101502.346Z.ts ',
  '.20250101T101502.346Z.ts.part-abcd',
];
for (const name of hostileNames) {
  test(`SegmentName refuses ${JSON.stringify(name)}`, () => assert.equal(SegmentName.safeParse(name).success, false));
}

for (const name of ['..', '.', 'a/b', '/abs', 'x\0', '.hidden', 'a'.repeat(65)]) {
  test(`StreamName refuses ${JSON.stringify(name)}`, () => assert.equal(StreamName.safeParse(name).success, false));
}

test('HourIndex refuses a segment outside the hour, a duplicate, or a start time that lies about the name', () => {
  const s = (ms: number) => ({ name: segmentNameForStartMs(ms), startMs: ms, durationMs: 2000, sizeBytes: 10, sha256: 'a'.repeat(64) });
  const ok = { stream: 'lab', hour: '20250101T10', segments: [s(T), s(T + 2000)] };
  assert.equal(HourIndex.safeParse(ok).success, true);
  assert.equal(HourIndex.safeParse({ ...ok, segments: [s(T + 3_600_000)] }).success, false);
  assert.equal(HourIndex.safeParse({ ...ok, segments: [s(T), s(T)] }).success, false);
  assert.equal(HourIndex.safeParse({ ...ok, segments: [{ ...s(T), startMs: T + 1 }] }).success, false);
  assert.equal(HourIndex.safeParse({ ...ok, segments: [{ ...s(T), sha256: 'A'.repeat(64) }] }).success, false);
});

test('ArchivePullRequest: peer must be host:port, names valid and unique', () => {
  const base = { stream: 'lab', peer: { address: '127.0.0.6:7411', token: 't'.repeat(16) }, segments: [segmentNameForStartMs(T)] };
  assert.equal(ArchivePullRequest.safeParse(base).success, true);
  assert.equal(ArchivePullRequest.safeParse({ ...base, peer: { ...base.peer, address: 'http://x:1/' } }).success, false);
  assert.equal(ArchivePullRequest.safeParse({ ...base, segments: [...base.segments, ...base.segments] }).success, false);
  assert.equal(ArchivePullRequest.safeParse({ ...base, segments: ['../x'] }).success, false);
});
