import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { IcmpResult } from '../../../../main/core/network/icmp-check';
import type { SnmpPoll } from '../../../../main/core/network/snmp-poller';
import { classifySwitch, initialSwitchTrack, observeSwitch, type SwitchTrack } from '../../../../main/core/network/switch-tracker';
import { SwitchView } from '../../../../main/core/network/switch-view';
import { answered, c32, hc, iface, timedOut, withOper } from './samples';

const spec = { id: 'sw-1', name: 'core-1', address: '10.0.0.1' };
const alive: IcmpResult = { kind: 'alive', rttMs: 0.4 };

function run(steps: [number, SnmpPoll, IcmpResult | null][]): { track: SwitchTrack; events: string[][] } {
  let track = initialSwitchTrack(spec, 0);
  const events: string[][] = [];
  for (const [atMs, snmp, icmp] of steps) {
    const step = observeSwitch(track, { atMs, snmp, icmp });
    track = step.track;
    events.push(step.events.map((e) => e.type));
    SwitchView.parse(track.view);
  }
  return { track, events };
}

describe('switch state', () => {
  const table: [string, SnmpPoll, IcmpResult | null, string, RegExp | null][] = [
    ['SNMP answers', answered(1, []), alive, 'up', null],
    ['SNMP silent, ping answers: a wrong community or an ACL', timedOut, alive, 'snmp-silent', /check the community/],
    ['neither answers: unreachable', timedOut, { kind: 'dead' }, 'unreachable', /no answer to SNMP or ping/],
    ['SNMP silent and ping off: presumed dead, and says why it cannot tell', timedOut, null, 'unreachable', /ping is off/],
    ['SNMP silent and ping broken', timedOut, { kind: 'error', message: 'ping could not run: EPERM' }, 'unreachable', /EPERM/],
    ['SNMP answered garbage', { ok: false, failure: { kind: 'error', message: 'bad BER' } }, alive, 'error', /bad BER/],
    ['SNMP answered garbage, ping dead', { ok: false, failure: { kind: 'error', message: 'bad BER' } }, { kind: 'dead' }, 'unreachable', /no answer/],
  ];
  for (const [what, snmp, icmp, state, error] of table) {
    it(what, () => {
      const verdict = classifySwitch(snmp, icmp);
      assert.equal(verdict.state, state);
      if (error) assert.match(verdict.error ?? '', error);
      else assert.equal(verdict.error, null);
    });
  }
});

describe('switch tracker', () => {
  it('has no rates on the first poll, then bits per second from HC octets', () => {
    const { track, events } = run([
      [1000, answered(100, [iface(1, { inOctets: hc(0), outOctets: hc(0) })]), alive],
      [6000, answered(600, [iface(1, { inOctets: hc(625_000), outOctets: hc(1_250_000) })]), alive],
    ]);
    assert.deepEqual(events, [['switch.state'], []]);
    const [port] = track.view.ports;
    assert.equal(port?.inBps, 1_000_000);
    assert.equal(port?.outBps, 2_000_000);
    assert.equal(track.view.uptimeSec, 6);
    assert.equal(track.view.sysName, 'core-1');
    assert.equal(track.view.rttMs, 0.4);
  });

  it('carries a 32-bit octet counter across its wrap', () => {
    const { track } = run([
      [0, answered(0, [iface(1, { inOctets: c32(2 ** 32 - 125_000) })]), alive],
      [1000, answered(100, [iface(1, { inOctets: c32(0) })]), alive],
    ]);
    assert.equal(track.view.ports[0]?.inBps, 1_000_000);
  });

  it('detects a restart from sysUpTime, says so once, and drops the rates of that interval', () => {
    const { track, events } = run([
      [0, answered(500_000, [iface(1, { inOctets: hc(10_000_000), inErrors: c32(50) })]), alive],
      [5000, answered(300, [iface(1, { inOctets: hc(1000), inErrors: c32(0) })]), alive],
      [10_000, answered(800, [iface(1, { inOctets: hc(626_000), inErrors: c32(5) })]), alive],
    ]);
    assert.deepEqual(events, [['switch.state'], ['switch.restarted'], []]);
    assert.equal(track.view.lastRestartAt, 5000);
    assert.equal(track.view.ports[0]?.inBps, 1_000_000);
    assert.equal(track.view.ports[0]?.inErrorsPerSec, 1);
  });

  it('tells each port going down and up, and when', () => {
    const { track, events } = run([
      [0, answered(0, [iface(1), iface(2)]), alive],
      [5000, answered(500, [iface(1), withOper(2, 'lowerLayerDown')]), alive],
      [10_000, answered(1000, [iface(1), withOper(2, 'up')]), alive],
    ]);
    assert.deepEqual(events, [['switch.state'], ['switch.port'], ['switch.port']]);
    assert.equal(track.view.ports[1]?.operChangedAt, 10_000);
    assert.equal(track.view.ports[0]?.operChangedAt, null);
  });

  it('keeps the last known ports (without rates) while SNMP is silent, and picks up again after', () => {
    const { track, events } = run([
      [0, answered(0, [iface(1, { inOctets: hc(0) })]), alive],
      [5000, answered(500, [iface(1, { inOctets: hc(625_000) })]), alive],
      [10_000, timedOut, alive],
    ]);
    assert.deepEqual(events, [['switch.state'], [], ['switch.state']]);
    assert.equal(track.view.state, 'snmp-silent');
    assert.equal(track.view.stateSince, 10_000);
    assert.equal(track.view.ports[0]?.oper, 'up');
    assert.equal(track.view.ports[0]?.inBps, null);
    const back = observeSwitch(track, { atMs: 15_000, snmp: answered(1500, [iface(1, { inOctets: hc(1_875_000) })]), icmp: alive });
    assert.equal(back.track.view.state, 'up');
    assert.equal(back.track.view.ports[0]?.inBps, 1_000_000, 'the rate spans the silent poll');
  });
});
