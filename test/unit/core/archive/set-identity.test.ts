import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setIdentity, shortFingerprint } from '../../../../main/core/archive/set-identity';

const D1 = '3f9ac21b'.padEnd(64, '0');
const D2 = '77e01a2c'.padEnd(64, '1');

const cases: { name: string; members: [string, string | null][]; conflicts?: number; state: string; fingerprint?: string; variants: number }[] = [
  { name: 'all equal: one fingerprint', members: [['a', D1], ['b', D1]], state: 'identical', fingerprint: '3f9a-c21b', variants: 1 },
  { name: 'one differs', members: [['a', D1], ['b', D2]], state: 'diverged', variants: 2 },
  { name: 'one unknown', members: [['a', D1], ['b', null]], state: 'diverged', variants: 1 },
  { name: 'none known', members: [['a', null], ['b', null]], state: 'unknown', variants: 0 },
  { name: 'conflicts known', members: [['a', D1], ['b', D2]], conflicts: 1, state: 'conflict', variants: 2 },
];

for (const c of cases) {
  test(`setIdentity: ${c.name}`, () => {
    const got = setIdentity(c.members.map(([memberId, digest]) => ({ memberId, digest })), { conflicts: c.conflicts });
    assert.equal(got.state, c.state);
    assert.equal(got.variants, c.variants);
    if (c.fingerprint) assert.equal(got.fingerprint, c.fingerprint);
    assert.match(got.fingerprint, /^[0-9a-f]{4}-[0-9a-f]{4}$/);
  });
}

test('setIdentity: the majority is named; a disagreement has a stable fingerprint of its own', () => {
  const members = [
    { memberId: 'a', digest: D1 },
    { memberId: 'b', digest: D1 },
    { memberId: 'c', digest: D2 },
  ];
  const got = setIdentity(members);
  assert.deepEqual(got.members.map((m) => [m.memberId, m.fingerprint, m.agreesWithMajority]), [
    ['a', '3f9a-c21b', true],
    ['b', '3f9a-c21b', true],
    ['c', '77e0-1a2c', false],
  ]);
  assert.equal(setIdentity([...members].reverse()).fingerprint, got.fingerprint);
  assert.notEqual(got.fingerprint, shortFingerprint(D1));
});
