import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeInterfaces, decodeSystem, findInterface, IF_COLUMNS, ifStatus, type RawVarbind, SYS_NAME_OID, SYS_UPTIME_OID } from '../../../../main/core/network/if-mib';

const col = (column: keyof typeof IF_COLUMNS, rows: [number, RawVarbind['value']][]): RawVarbind[] =>
  rows.map(([ifIndex, value]) => ({ oid: `${IF_COLUMNS[column]}.${ifIndex}`, value }));

describe('IF-MIB decoding', () => {
  it('reads sysName and sysUpTime, tolerating absent values', () => {
    assert.deepEqual(decodeSystem([{ oid: SYS_UPTIME_OID, value: 12345 }, { oid: SYS_NAME_OID, value: 'core-1' }]), { sysName: 'core-1', sysUpTimeCs: 12345 });
    assert.deepEqual(decodeSystem([{ oid: SYS_UPTIME_OID, value: null }]), { sysName: null, sysUpTimeCs: null });
  });

  it('maps status numbers, unknown for anything else', () => {
    assert.deepEqual([1, 2, 3, 4, 5, 6, 7, 0, 99, null].map((n) => ifStatus(n)), [
      'up', 'down', 'testing', 'unknown', 'dormant', 'notPresent', 'lowerLayerDown', 'unknown', 'unknown', 'unknown',
    ]);
  });

  it('joins columns into rows by ifIndex, preferring HC counters and ifHighSpeed', () => {
    const rows = decodeInterfaces({
      descr: col('descr', [[1, 'lo'], [2, 'GigabitEthernet1/0/1'], [10, 'Port-channel1']]),
      adminStatus: col('adminStatus', [[1, 1], [2, 1], [10, 2]]),
      operStatus: col('operStatus', [[1, 1], [2, 7], [10, 2]]),
      speed: col('speed', [[1, 10_000_000], [2, 4_294_967_295], [10, 0]]),
      highSpeed: col('highSpeed', [[2, 10_000]]),
      inOctets: col('inOctets', [[1, 5], [2, 99]]),
      hcInOctets: col('hcInOctets', [[2, 2n ** 40n]]),
      inErrors: col('inErrors', [[2, 3]]),
      name: col('name', [[2, 'Gi1/0/1']]),
      alias: col('alias', [[2, 'uplink tc-1'], [10, '']]),
    });
    assert.deepEqual(rows.map((r) => [r.ifIndex, r.name, r.admin, r.oper, r.speedBps]), [
      [1, null, 'up', 'up', 10_000_000],
      [2, 'Gi1/0/1', 'up', 'lowerLayerDown', 10_000_000_000],
      [10, null, 'down', 'down', null],
    ]);
    assert.deepEqual(rows[0]?.inOctets, { value: 5n, bits: 32 });
    assert.deepEqual(rows[1]?.inOctets, { value: 2n ** 40n, bits: 64 });
    assert.deepEqual(rows[1]?.inErrors, { value: 3n, bits: 32 });
    assert.equal(rows[1]?.outOctets, null);
    assert.equal(rows[2]?.alias, null);
  });

  it('ignores varbinds outside the column or with a bad index', () => {
    const rows = decodeInterfaces({ operStatus: [{ oid: `${IF_COLUMNS.operStatus}.x`, value: 1 }, { oid: '1.3.6.1.2.1.1.5.0', value: 'x' }] });
    assert.deepEqual(rows, []);
  });

  it('finds a port by ifIndex, ifName, ifDescr, ifAlias, then case-insensitively', () => {
    const ports = [
      { ifIndex: 3, name: 'Gi1/0/3', descr: 'GigabitEthernet1/0/3', alias: 'tc-1 eth0' },
      { ifIndex: 4, name: 'Gi1/0/4', descr: 'GigabitEthernet1/0/4', alias: null },
    ];
    assert.equal(findInterface(ports, 4)?.ifIndex, 4);
    assert.equal(findInterface(ports, 'Gi1/0/3')?.ifIndex, 3);
    assert.equal(findInterface(ports, 'GigabitEthernet1/0/4')?.ifIndex, 4);
    assert.equal(findInterface(ports, 'tc-1 eth0')?.ifIndex, 3);
    assert.equal(findInterface(ports, 'gi1/0/4')?.ifIndex, 4);
    assert.equal(findInterface(ports, 'Gi9/9/9'), undefined);
    assert.equal(findInterface(ports, 99), undefined);
  });
});
