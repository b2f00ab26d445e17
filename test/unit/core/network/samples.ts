import type { CounterValue, InterfaceSample, IfStatus } from '../../../../main/core/network/if-mib';
import type { SnmpPoll } from '../../../../main/core/network/snmp-poller';

export function iface(ifIndex: number, over: Partial<InterfaceSample> = {}): InterfaceSample {
  return {
    ifIndex,
    name: `Gi1/0/${ifIndex}`,
    descr: `GigabitEthernet1/0/${ifIndex}`,
    alias: null,
    type: 6,
    speedBps: 1_000_000_000,
    admin: 'up',
    oper: 'up',
    lastChangeCs: null,
    inOctets: null,
    outOctets: null,
    inErrors: null,
    outErrors: null,
    inDiscards: null,
    outDiscards: null,
    ...over,
  };
}

export const hc = (v: number | bigint): CounterValue => ({ value: BigInt(v), bits: 64 });
export const c32 = (v: number | bigint): CounterValue => ({ value: BigInt(v), bits: 32 });

export function answered(sysUpTimeCs: number, interfaces: InterfaceSample[], sysName = 'core-1'): SnmpPoll {
  return { ok: true, system: { sysName, sysUpTimeCs }, interfaces };
}

export const timedOut: SnmpPoll = { ok: false, failure: { kind: 'timeout', message: 'no SNMP answer from 10.0.0.1:161 within 2000 ms × 2 tries' } };

export function withOper(ifIndex: number, oper: IfStatus, over: Partial<InterfaceSample> = {}): InterfaceSample {
  return iface(ifIndex, { oper, ...over });
}
