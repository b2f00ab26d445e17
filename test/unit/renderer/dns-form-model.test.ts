import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { failoverCommands } from '../../../main/core/failover/failover-contract';
import { EMPTY_DNS_FORM, formOf, settingsOf } from '../../../renderer/src/components/dns-form-model';

const filled = {
  ...EMPTY_DNS_FORM,
  server: '10.0.0.53',
  zone: 'live.example.net',
  keyName: 'tally-key',
  secretBase64: 'c2VjcmV0LXNlY3JldC1zZWNyZXQ=',
  records: '# channel = name\nnews = news.live.example.net.\n\nsport = sport.live.example.net.',
};

describe('DNS re-pointing form', () => {
  it('turns what the operator typed into settings the contract accepts', () => {
    const r = settingsOf(filled);
    assert.ok(r.ok);
    assert.deepEqual(r.settings.records, { news: 'news.live.example.net.', sport: 'sport.live.example.net.' });
    assert.deepEqual(r.settings.server, { host: '10.0.0.53', port: 53 });
    assert.equal(r.settings.ttlSec, 30);
    assert.ok(failoverCommands['failover.dns.set'].input.safeParse(r.settings).success);
  });

  it('names every problem at its field', () => {
    const r = settingsOf({ ...filled, port: '99999', zone: 'not a zone', secretBase64: '', ttlSec: '0', records: 'news news.live.example.net.\nsport = a..b' });
    assert.ok(!r.ok);
    assert.deepEqual(Object.keys(r.errors).sort(), ['port', 'records', 'secretBase64', 'ttlSec', 'zone']);
    assert.match(r.errors.records!, /line 1, line 2/);
    assert.match(r.errors.secretBase64!, /not shown again/);
    const empty = settingsOf(EMPTY_DNS_FORM);
    assert.ok(!empty.ok && empty.errors.server && empty.errors.records);
  });

  it('shows the saved settings for editing, without the secret', () => {
    const form = formOf({ server: { host: 'ns1', port: 5353 }, zone: 'z.net', ttlSec: 20, records: { news: 'news.z.net.' }, keyName: 'k' });
    assert.deepEqual(form, { server: 'ns1', port: '5353', zone: 'z.net', ttlSec: '20', keyName: 'k', secretBase64: '', records: 'news = news.z.net.' });
    assert.deepEqual(formOf(null), EMPTY_DNS_FORM);
  });
});
