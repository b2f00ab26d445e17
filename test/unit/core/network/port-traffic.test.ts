import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { downsample, MAX_TRACKED_PORTS, PortTrafficStore } from '../../../../main/core/network/port-traffic';
import type { PortView, SwitchView } from '../../../../main/core/network/switch-view';

const port = (ifIndex: number, over: Partial<PortView> = {}): PortView => ({
  ifIndex, name: `p${ifIndex}`, descr: null, alias: null, speedBps: 1e9, admin: 'up', oper: 'up', operChangedAt: null,
  inBps: 100, outBps: 50, inErrorsPerSec: 0, outErrorsPerSec: 0, inDiscardsPerSec: 0, outDiscardsPerSec: 0, ...over,
});
const view = (polledAt: number, ports: PortView[]): SwitchView => ({
  id: 'sw', name: 'sw', address: '127.0.0.1', state: 'up', stateSince: 0, error: null, sysName: 'sw', uptimeSec: 1, lastRestartAt: null, polledAt, rttMs: null, ports,
});

describe('port traffic', () => {
  it('downsamples by averaging into exactly maxPoints buckets, newest last', () => {
    const points = Array.from({ length: 31 }, (_, i): [number, number, number] => [i, i, 2 * i]);
    const out = downsample(points, 10);
    assert.equal(out.length, 10);
    assert.deepEqual(out.at(-1), [30, 29, 57], 'samples 27–30 averaged');
    assert.deepEqual(out[0], [2, 1, 2]);
    assert.deepEqual(downsample(points.slice(0, 5), 10), points.slice(0, 5));
  });

  it('records up ports only, skips polls without a rate and repeated polls, and stays bounded', () => {
    const store = new PortTrafficStore(4);
    for (let t = 1; t <= 6; t++) store.record(view(t * 1000, [port(1), port(2, { oper: 'down' }), port(3, { inBps: t === 3 ? null : 10 })]));
    store.record(view(6000, [port(1, { inBps: 999 })]));
    const read = store.read('sw', 100);
    assert.deepEqual(read.map((p) => p.ifIndex), [1, 3]);
    assert.equal(read[0]!.points.length, 4, 'ring of 4');
    assert.equal(read[0]!.points.at(-1)![1], 100, 'the same poll is not recorded twice');
    const many = new PortTrafficStore(2);
    many.record(view(1, Array.from({ length: MAX_TRACKED_PORTS + 10 }, (_, i) => port(i + 1))));
    assert.equal(many.read('sw', 10).length, MAX_TRACKED_PORTS);
  });
});
