import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decidePull, type LocalCopy, type PullAction } from '../../../../../agents/roles/archive/pull-decision';

const P = 'p'.repeat(64);
const L = 'l'.repeat(64);
const R = 'r'.repeat(64);

const cases: { name: string; local: LocalCopy; want: PullAction }[] = [
  { name: 'absent: fetch', local: { kind: 'absent' }, want: { action: 'fetch' } },
  { name: 'same bytes indexed: nothing sent', local: { kind: 'indexed', indexSha256: P, bytesSha256: P }, want: { action: 'present', indexUnindexed: false } },
  { name: 'rot here, peer holds what was recorded: repair', local: { kind: 'indexed', indexSha256: P, bytesSha256: R }, want: { action: 'repair' } },
  { name: 'other self-consistent bytes here: conflict', local: { kind: 'indexed', indexSha256: L, bytesSha256: L }, want: { action: 'conflict', localSha256: L } },
  { name: 'rot here and other bytes there: conflict, keep the evidence', local: { kind: 'indexed', indexSha256: L, bytesSha256: R }, want: { action: 'conflict', localSha256: L } },
  { name: 'unindexed file with the same bytes: index it', local: { kind: 'unindexed', bytesSha256: P }, want: { action: 'present', indexUnindexed: true } },
  { name: 'unindexed file with other bytes: conflict', local: { kind: 'unindexed', bytesSha256: L }, want: { action: 'conflict', localSha256: L } },
];

for (const c of cases) test(`decidePull: ${c.name}`, () => assert.deepEqual(decidePull(c.local, { sha256: P }), c.want));
