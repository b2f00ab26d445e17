import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { segmentNameForStartMs } from '../../../../../agents/protocol/archive';
import { hourDigestOf } from '../../../../../agents/roles/archive/hour-digest';
import { StreamIndex } from '../../../../../agents/roles/archive/segment-index';

const dir = mkdtempSync(path.join(tmpdir(), 'tally-index-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const T = Date.UTC(2025, 0, 1, 10, 0, 0);
const entry = (i: number, tag = 'a') => ({
  name: segmentNameForStartMs(T + i * 2000),
  startMs: T + i * 2000,
  durationMs: 2000,
  sizeBytes: 100 + i,
  sha256: tag.repeat(64),
  mtimeMs: 1,
});

test('hourDigestOf: order of the lines does not matter; a byte of content does', () => {
  const a = [entry(0), entry(1)];
  assert.equal(hourDigestOf(a), hourDigestOf([...a].reverse()));
  assert.notEqual(hourDigestOf(a), hourDigestOf([entry(0), entry(1, 'b')]));
});

test('StreamIndex: digests follow changes, rot does not change the digest but is counted; it persists and reloads', async () => {
  const idx = new StreamIndex('lab', path.join(dir, 'lab'));
  await idx.load();
  for (let i = 0; i < 3; i++) idx.put(entry(i));
  const d1 = idx.hourDigest('20250101T10')!;
  assert.equal(d1.segments, 3);
  const v1 = idx.summary().digestVersion;
  idx.setRot(entry(1).name, true);
  const d2 = idx.hourDigest('20250101T10')!;
  assert.equal(d2.digest, d1.digest);
  assert.equal(d2.rotSegments, 1);
  assert.ok(idx.summary().digestVersion > v1);
  await idx.flush();
  const again = new StreamIndex('lab', path.join(dir, 'lab'));
  await again.load();
  assert.equal(again.setDigest(), idx.setDigest());
  assert.equal(again.get(entry(1).name)?.rot, true);
  assert.deepEqual(again.hourIndex('20250101T10').map((s) => s.name), [0, 1, 2].map((i) => entry(i).name));
  assert.ok(!('mtimeMs' in again.hourIndex('20250101T10')[0]!), 'the wire form has no local fields');
});

test('StreamIndex: a torn hour file is kept aside and reported, never silently emptied', async () => {
  const d = path.join(dir, 'torn');
  const idx = new StreamIndex('torn', d);
  await idx.load();
  writeFileSync(path.join(d, '20250101T10.json'), '{"version":1,"segm');
  const r = await idx.load();
  assert.equal(r.corrupt.length, 1);
  assert.ok(readdirSync(d).some((f) => f.startsWith('20250101T10.json.corrupt-')));
});
