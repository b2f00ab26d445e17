import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type FailedHost, planFailover, type ReserveCandidate } from '../../../../main/core/failover/planner';

const channels = (n: number, epoch = 0) => Array.from({ length: n }, (_, i) => ({ name: `ch${i + 1}`, snapshotHash: `h${i + 1}`, epoch }));
const failed = (name: string, n: number, over: Partial<FailedHost> = {}): FailedHost => ({ hostId: name, name, kind: 'transcoder', switchId: 'sw1', channels: channels(n), ...over });
const reserve = (name: string, over: Partial<ReserveCandidate> = {}): ReserveCandidate => ({ hostId: name, name, kind: 'transcoder', switchId: 'sw2', online: true, channelCount: 0, capacityChannels: null, ...over });

describe('failover planner', () => {
  it('moves every channel of a failed host to one reserve, raising each epoch', () => {
    const plan = planFailover([failed('tc-1', 3)], [reserve('r1')]);
    assert.deepEqual(plan.refusals, []);
    assert.equal(plan.assignments[0]!.reserveHostId, 'r1');
    assert.deepEqual(plan.assignments[0]!.channels.map((c) => [c.name, c.snapshotHash, c.fromEpoch, c.toEpoch]), [['ch1', 'h1', 0, 1], ['ch2', 'h2', 0, 1], ['ch3', 'h3', 0, 1]]);
  });

  it('only takes reserves of the same kind that are online, empty and big enough', () => {
    const table: [ReserveCandidate, RegExp][] = [
      [reserve('r', { kind: 'origin' }), /no transcoder reserve/],
      [reserve('r', { online: false }), /r is not online/],
      [reserve('r', { channelCount: 2 }), /r is not empty \(2 channels\)/],
      [reserve('r', { capacityChannels: 2 }), /r can run 2 channels, tc-1 has 3/],
    ];
    for (const [candidate, reason] of table) {
      const plan = planFailover([failed('tc-1', 3)], [candidate]);
      assert.equal(plan.assignments.length, 0);
      assert.match(plan.refusals[0]!.reason, reason);
      assert.match(plan.refusals[0]!.reason, /^no reserve capacity/);
    }
  });

  it('prefers a reserve behind another switch, then the tightest fit, then the name', () => {
    const sameSwitch = reserve('a-same', { switchId: 'sw1' });
    const other = reserve('z-other', { switchId: 'sw2' });
    assert.equal(planFailover([failed('tc-1', 2)], [sameSwitch, other]).assignments[0]!.reserveHostId, 'z-other');
    const onlySame = planFailover([failed('tc-1', 2)], [sameSwitch]).assignments[0]!;
    assert.equal(onlySame.reserveHostId, 'a-same');
    assert.equal(onlySame.sameSwitch, true, 'a same-switch reserve is used when it is the only one, and flagged');
    const tight = planFailover([failed('tc-1', 2)], [reserve('big', { capacityChannels: 20 }), reserve('small', { capacityChannels: 2 })]);
    assert.equal(tight.assignments[0]!.reserveHostId, 'small');
  });

  it('never double-books: two failures with two reserves, and with one', () => {
    const two = planFailover([failed('tc-1', 2), failed('tc-2', 3)], [reserve('r1'), reserve('r2')]);
    assert.deepEqual(two.assignments.map((a) => [a.failedHostId, a.reserveHostId]).sort(), [['tc-1', 'r2'], ['tc-2', 'r1']]);
    const one = planFailover([failed('tc-1', 2), failed('tc-2', 3)], [reserve('r1')]);
    assert.deepEqual(one.assignments.map((a) => [a.failedHostId, a.reserveHostId]), [['tc-2', 'r1']], 'the bigger host goes first');
    assert.match(one.refusals[0]!.reason, /r1 is already taken/);
    assert.equal(one.refusals[0]!.failedHostId, 'tc-1');
  });

  it('skips reserves booked by a plan already running', () => {
    const plan = planFailover([failed('tc-2', 1)], [reserve('r1'), reserve('r2')], new Set(['r1']));
    assert.equal(plan.assignments[0]!.reserveHostId, 'r2');
  });

  it('starts nothing for a host with a channel it has no snapshot of', () => {
    const host = failed('tc-1', 2);
    host.channels[1]!.snapshotHash = null;
    const plan = planFailover([host], [reserve('r1')]);
    assert.equal(plan.assignments.length, 0);
    assert.match(plan.refusals[0]!.reason, /no snapshot of ch2/);
  });
});
