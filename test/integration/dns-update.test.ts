/** Failover's DNS re-pointing against a real bind9 on loopback: RFC 2136 update, TSIG-signed, verified with dig. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sendDnsUpdate } from '../../main/core/failover/dns-client';
import { type Bind9, startBind9 } from '../helpers/bind9';

describe('DNS re-pointing (RFC 2136 + TSIG) against bind9', () => {
  let bind: Bind9;
  before(async () => {
    bind = await startBind9('tv.test', { ch1: '127.0.0.2', ch2: '127.0.0.2' });
  });
  after(async () => bind?.stop());

  it('re-points a channel name at the reserve and the server signs its answer', async () => {
    assert.deepEqual(bind.lookup('ch1.tv.test'), ['127.0.0.2']);
    const result = await sendDnsUpdate({ host: '127.0.0.1', port: bind.port }, bind.key, { zone: 'tv.test', name: 'ch1.tv.test', type: 'A', ttlSec: 30, addresses: ['127.0.0.4'] });
    assert.equal(result.ok, true, result.detail);
    assert.deepEqual(bind.lookup('ch1.tv.test'), ['127.0.0.4']);
    assert.deepEqual(bind.lookup('ch2.tv.test'), ['127.0.0.2'], 'other names are untouched');
  });

  it('a wrong key is refused and changes nothing', async () => {
    const wrong = { name: bind.key.name, secretBase64: Buffer.alloc(32, 1).toString('base64') };
    const result = await sendDnsUpdate({ host: '127.0.0.1', port: bind.port }, wrong, { zone: 'tv.test', name: 'ch2.tv.test', type: 'A', ttlSec: 30, addresses: ['127.0.0.9'] });
    assert.equal(result.ok, false);
    assert.match(result.detail, /NOTAUTH|not signed/);
    assert.deepEqual(bind.lookup('ch2.tv.test'), ['127.0.0.2']);
  });

  it('an unknown key name is refused', async () => {
    const stranger = { name: 'nobody', secretBase64: bind.key.secretBase64 };
    const result = await sendDnsUpdate({ host: '127.0.0.1', port: bind.port }, stranger, { zone: 'tv.test', name: 'ch2.tv.test', type: 'A', ttlSec: 30, addresses: ['127.0.0.9'] });
    assert.equal(result.ok, false);
    assert.deepEqual(bind.lookup('ch2.tv.test'), ['127.0.0.2']);
  });

  it('a server that does not answer is a clear timeout, not a hang', async () => {
    const result = await sendDnsUpdate({ host: '127.0.0.1', port: 9 }, bind.key, { zone: 'tv.test', name: 'ch1.tv.test', type: 'A', ttlSec: 30, addresses: ['127.0.0.4'] }, 300);
    assert.equal(result.ok, false);
    assert.ok(['TIMEOUT'].includes(result.rcodeText), result.detail);
  });
});
