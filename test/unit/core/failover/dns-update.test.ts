import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeAnswer, encodeUpdate, normalizeName, signMessage } from '../../../../main/core/failover/dns-update';

const key = { name: 'tally-key', secretBase64: Buffer.alloc(32, 7).toString('base64') };

describe('RFC 2136 update encoding', () => {
  it('writes an UPDATE that replaces one RRset', () => {
    const msg = encodeUpdate(0x1234, { zone: 'tv.test', name: 'ch1.tv.test.', type: 'A', ttlSec: 30, addresses: ['127.0.0.4'] });
    assert.equal(msg.readUInt16BE(0), 0x1234);
    assert.equal(msg.readUInt16BE(2) >> 11, 5, 'opcode UPDATE');
    assert.deepEqual([4, 6, 8, 10].map((o) => msg.readUInt16BE(o)), [1, 0, 2, 0], 'one zone, a delete and an add');
    assert.ok(msg.includes(Buffer.from([127, 0, 0, 4])), 'the new address is in the message');
  });

  it('refuses names outside the zone and bad addresses', () => {
    assert.throws(() => encodeUpdate(1, { zone: 'tv.test', name: 'evil.example', type: 'A', ttlSec: 30, addresses: ['1.2.3.4'] }), /not inside the zone/);
    assert.throws(() => encodeUpdate(1, { zone: 'tv.test', name: 'a.tv.test', type: 'A', ttlSec: 30, addresses: ['::1'] }), /not an IPv4/);
    assert.throws(() => normalizeName('bad name.tv.test'), /not a valid DNS name/);
    assert.equal(encodeUpdate(1, { zone: 'tv.test', name: 'a.tv.test', type: 'AAAA', ttlSec: 30, addresses: ['fd00::4'] }).length > 0, true);
  });

  it('signs with TSIG and checks a signed answer against the request MAC', () => {
    const { signed, mac } = signMessage(encodeUpdate(7, { zone: 'tv.test', name: 'ch1.tv.test', type: 'A', ttlSec: 30, addresses: ['127.0.0.4'] }), key, 1_800_000_000);
    assert.equal(signed.readUInt16BE(10), 1, 'the TSIG record is counted in the additional section');
    assert.equal(mac.length, 32);
    // An answer without TSIG is read but marked unsigned.
    const bare = Buffer.alloc(12);
    bare.writeUInt16BE(7, 0);
    bare.writeUInt16BE(0x8000 | (5 << 11) | 5, 2);
    const decoded = decodeAnswer(bare, key, mac);
    assert.deepEqual([decoded.rcodeText, decoded.signatureValid], ['REFUSED', null]);
  });
});
