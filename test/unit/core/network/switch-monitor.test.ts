import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock } from '../../../../main/core/clock';
import type { RawVarbind } from '../../../../main/core/network/if-mib';
import { IF_COLUMNS, SYS_NAME_OID, SYS_UPTIME_OID } from '../../../../main/core/network/if-mib';
import { type SnmpClient, type SnmpConnector, SnmpFailure } from '../../../../main/core/network/snmp-client';
import { SwitchSpec } from '../../../../main/core/network/switch-spec';
import { createSwitchMonitor } from '../../../../main/core/network/switch-monitor';
import type { SwitchEvent, SwitchView } from '../../../../main/core/network/switch-view';

const flush = () => new Promise((resolve) => setImmediate(resolve));

function fakeSwitch(clock: FakeClock) {
  const state = { silent: false, oper: 1, opened: 0, closed: 0 };
  const connect: SnmpConnector = (target) => {
    state.opened++;
    assert.equal(target.community, 'public-ro');
    const client: SnmpClient = {
      async get() {
        if (state.silent) throw new SnmpFailure('timeout', 'no SNMP answer');
        return [
          { oid: SYS_UPTIME_OID, value: Math.floor(clock.now() / 10) },
          { oid: SYS_NAME_OID, value: 'lab-switch' },
        ];
      },
      async walk(oid): Promise<RawVarbind[]> {
        if (oid === IF_COLUMNS.operStatus) return [{ oid: `${oid}.1`, value: state.oper }];
        if (oid === IF_COLUMNS.name) return [{ oid: `${oid}.1`, value: 'eth0' }];
        return [];
      },
      close() {
        state.closed++;
      },
    };
    return client;
  };
  return { state, connect };
}

describe('switch monitor', () => {
  it('polls every pollMs with the fake clock, reports views and events, and closes every session', async () => {
    const clock = new FakeClock(1_000_000);
    const sw = fakeSwitch(clock);
    const updates: { view: SwitchView; events: SwitchEvent[] }[] = [];
    const spec = SwitchSpec.parse({ id: 'sw-1', name: 'lab', address: '127.0.0.1', community: 'public-ro', pollMs: 1000 });
    const monitor = createSwitchMonitor(spec, {
      clock,
      connect: sw.connect,
      ping: async () => ({ alive: true, time: 0.1, packetLoss: '0.000', output: '' }),
      onUpdate: (view, events) => void updates.push({ view, events }),
    });
    monitor.start();
    await flush();
    assert.equal(updates.length, 1);
    assert.equal(updates[0]?.view.state, 'up');
    assert.equal(updates[0]?.view.sysName, 'lab-switch');

    sw.state.oper = 2;
    clock.advance(1000);
    await flush();
    assert.equal(updates.length, 2);
    assert.deepEqual(updates[1]?.events.map((e) => e.type), ['switch.port']);

    sw.state.silent = true;
    clock.advance(1000);
    await flush();
    assert.equal(monitor.view().state, 'snmp-silent');

    monitor.stop();
    clock.advance(10_000);
    await flush();
    assert.equal(updates.length, 3, 'no polls after stop');
    assert.equal(sw.state.opened, sw.state.closed);
  });

  it('does not overlap polls', async () => {
    const clock = new FakeClock();
    const sw = fakeSwitch(clock);
    const spec = SwitchSpec.parse({ id: 'sw-1', name: 'lab', address: '127.0.0.1', community: 'public-ro', icmp: false });
    const monitor = createSwitchMonitor(spec, { clock, connect: sw.connect, onUpdate() {} });
    await Promise.all([monitor.pollNow(), monitor.pollNow()]);
    assert.equal(sw.state.opened, 1);
  });

  it('refuses a switch address that ping would read as an option', () => {
    assert.equal(SwitchSpec.safeParse({ id: 's', name: 's', address: '-f', community: 'x' }).success, false);
    assert.equal(SwitchSpec.safeParse({ id: 's', name: 's', address: 'core-1.plant.local', community: 'x' }).success, true);
    assert.equal(SwitchSpec.safeParse({ id: 's', name: 's', address: '[fd00::1]', community: 'x' }).success, true);
  });
});
