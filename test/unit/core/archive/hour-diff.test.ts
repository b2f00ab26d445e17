import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hoursThatDiffer } from '../../../../main/core/archive/hour-diff';
import { hourDigest } from './fixtures';

const cases: { name: string; a: [string, string, number?][]; b: [string, string, number?][]; want: [string, string[]][] }[] = [
  { name: 'identical members: nothing differs', a: [['20250101T10', 'a'], ['20250101T11', 'b']], b: [['20250101T10', 'a'], ['20250101T11', 'b']], want: [] },
  { name: 'one hour with another digest', a: [['20250101T10', 'a'], ['20250101T11', 'b']], b: [['20250101T10', 'a'], ['20250101T11', 'c']], want: [['20250101T11', ['digest']]] },
  { name: 'an hour one member lacks entirely', a: [['20250101T10', 'a'], ['20250101T11', 'b']], b: [['20250101T10', 'a']], want: [['20250101T11', ['missing-hour']]] },
  { name: 'equal digests but bit rot reported', a: [['20250101T10', 'a', 2]], b: [['20250101T10', 'a']], want: [['20250101T10', ['rot']]] },
  { name: 'hours come back sorted', a: [['20250101T12', 'x'], ['20250101T10', 'y']], b: [], want: [['20250101T10', ['missing-hour']], ['20250101T12', ['missing-hour']]] },
];

for (const c of cases) {
  test(`hoursThatDiffer: ${c.name}`, () => {
    const got = hoursThatDiffer([
      { memberId: 'a', hours: c.a.map(([h, d, rot]) => hourDigest(h, d, rot)) },
      { memberId: 'b', hours: c.b.map(([h, d, rot]) => hourDigest(h, d, rot)) },
    ]);
    assert.deepEqual(got.map((g) => [g.hour, g.reasons]), c.want);
  });
}

test('hoursThatDiffer: three members, one differs, row names each member', () => {
  const got = hoursThatDiffer([
    { memberId: 'a', hours: [hourDigest('20250101T10', 'a')] },
    { memberId: 'b', hours: [hourDigest('20250101T10', 'a')] },
    { memberId: 'c', hours: [hourDigest('20250101T10', 'f')] },
  ]);
  assert.equal(got.length, 1);
  assert.deepEqual(got[0]!.members.map((m) => m.memberId), ['a', 'b', 'c']);
});
