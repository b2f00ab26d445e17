/**
 * A switch for unit tests of the network module: an SnmpConnector and a ping probe answering from a small state the
 * test changes (ports up/down, SNMP silent, a wrong community, ping dead). Octet counters grow with the fake clock.
 * The real snmpd is used by the integration tests.
 */
import type { Clock } from '../../../../main/core/clock';
import type { PingAnswer, PingProbe } from '../../../../main/core/network/icmp-check';
import { IF_COLUMNS, type RawVarbind, SYS_NAME_OID, SYS_UPTIME_OID } from '../../../../main/core/network/if-mib';
import { type SnmpConnector, SnmpFailure } from '../../../../main/core/network/snmp-client';

export interface FakePort {
  ifIndex: number;
  name: string;
  oper: 'up' | 'down';
  admin: 'up' | 'down';
  /** Traffic in each direction while up. */
  bps: number;
}

export function fakeSwitch(clock: Clock, opts: { address: string; community: string; sysName: string; ports: FakePort[] }) {
  const bootAt = clock.now() - 3_600_000;
  const state = { snmpAnswers: true, pingAlive: true, ports: opts.ports, community: opts.community, sessions: 0 };
  const octets = (p: FakePort) => BigInt(Math.floor(((clock.now() - bootAt) / 1000) * (p.oper === 'up' ? p.bps / 8 : 0)));
  const column: Partial<Record<keyof typeof IF_COLUMNS, (p: FakePort) => RawVarbind['value']>> = {
    descr: (p) => p.name,
    name: (p) => p.name,
    type: () => 6,
    speed: () => 1_000_000_000,
    highSpeed: () => 1000,
    adminStatus: (p) => (p.admin === 'up' ? 1 : 2),
    operStatus: (p) => (p.oper === 'up' ? 1 : 2),
    hcInOctets: octets,
    hcOutOctets: octets,
    inErrors: () => 0,
    outErrors: () => 0,
    inDiscards: () => 0,
    outDiscards: () => 0,
  };
  const connect: SnmpConnector = (target) => {
    state.sessions++;
    const silent = () => !state.snmpAnswers || target.address !== opts.address || target.community !== state.community;
    return {
      async get() {
        if (silent()) throw new SnmpFailure('timeout', `no SNMP answer from ${target.address}:${target.port}`);
        return [
          { oid: SYS_UPTIME_OID, value: Math.floor((clock.now() - bootAt) / 10) },
          { oid: SYS_NAME_OID, value: opts.sysName },
        ];
      },
      async walk(oid) {
        if (silent()) throw new SnmpFailure('timeout', `no SNMP answer from ${target.address}:${target.port}`);
        const entry = Object.entries(IF_COLUMNS).find(([, o]) => o === oid);
        const read = entry ? column[entry[0] as keyof typeof IF_COLUMNS] : undefined;
        return read ? state.ports.map((p) => ({ oid: `${oid}.${p.ifIndex}`, value: read(p) })) : [];
      },
      close() {},
    };
  };
  const ping: PingProbe = async (address): Promise<PingAnswer> => {
    const alive = address === opts.address && state.pingAlive;
    return { alive, time: alive ? 0.2 : 'unknown', packetLoss: alive ? '0.000' : '100.000', output: '' };
  };
  const port = (name: string) => state.ports.find((p) => p.name === name)!;
  return { state, connect, ping, port };
}
