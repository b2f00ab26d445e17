import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as snmp from 'net-snmp';
import { decodeVarbind } from '../../../../main/core/network/snmp-client';

describe('net-snmp varbind decoding', () => {
  const { ObjectType } = snmp;
  const table: [string, snmp.Varbind, unknown][] = [
    ['Counter64 (BER bytes) → bigint', { oid: '1', type: ObjectType.Counter64!, value: Buffer.from([0x01, 0x00, 0x00, 0x00, 0x00]) }, 2n ** 32n],
    ['Counter64 with a leading zero byte', { oid: '1', type: ObjectType.Counter64!, value: Buffer.from([0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]) }, 2n ** 64n - 1n],
    ['empty Counter64 → 0', { oid: '1', type: ObjectType.Counter64!, value: Buffer.alloc(0) }, 0n],
    ['OctetString → text', { oid: '1', type: ObjectType.OctetString!, value: Buffer.from('Gi1/0/1') }, 'Gi1/0/1'],
    ['OctetString with trailing NULs', { oid: '1', type: ObjectType.OctetString!, value: Buffer.from('sw\0\0') }, 'sw'],
    ['TimeTicks → number', { oid: '1', type: ObjectType.TimeTicks!, value: 4242 }, 4242],
    ['noSuchObject → null', { oid: '1', type: ObjectType.NoSuchObject!, value: null }, null],
    ['endOfMibView → null', { oid: '1', type: ObjectType.EndOfMibView!, value: null }, null],
  ];
  for (const [what, vb, value] of table) it(what, () => assert.deepEqual(decodeVarbind(vb).value, value));
});
