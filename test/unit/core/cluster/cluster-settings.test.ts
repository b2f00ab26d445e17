import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { clusterSettingsFrom } from '../../../../main/core/cluster/cluster-settings';
import { EtcdClient, prefixEnd } from '../../../../main/core/cluster/etcd-client';

describe('cluster settings', () => {
  it('is a single console when no etcd is given', () => {
    assert.equal(clusterSettingsFrom({}, {}, 'desk'), null);
    assert.equal(clusterSettingsFrom({}, { TALLY_ETCD: ' , ' }, 'desk'), null);
  });

  it('reads flags before the environment, with the host name as the default console name', () => {
    const s = clusterSettingsFrom({ etcd: 'http://10.0.0.5:2379,http://10.0.0.6:2379/', leaseTtl: '4' }, { TALLY_ETCD: 'http://x:1', TALLY_CONSOLE_NAME: 'desk-2' }, 'ignored');
    assert.deepEqual(s, { etcdEndpoints: ['http://10.0.0.5:2379', 'http://10.0.0.6:2379/'], name: 'desk-2', leaseTtlSec: 4, prefix: '/tally', username: undefined, password: undefined });
    assert.equal(clusterSettingsFrom({}, { TALLY_ETCD: 'http://e:2379' }, 'noc-desk-1')!.name, 'noc-desk-1');
  });

  it('refuses what it cannot use, saying why', () => {
    assert.throws(() => clusterSettingsFrom({ etcd: '10.0.0.5:2379' }, {}, 'd'), /not a URL like http/);
    assert.throws(() => clusterSettingsFrom({ etcd: 'http://e:2379', leaseTtl: '1' }, {}, 'd'), /from 2 to 60/);
    assert.throws(() => clusterSettingsFrom({ etcd: 'http://e:2379', leaseTtl: 'five' }, {}, 'd'), /from 2 to 60/);
    assert.throws(() => clusterSettingsFrom({ etcd: 'http://e:2379', name: 'desk one; rm' }, {}, 'd'), /console name/);
    assert.throws(() => clusterSettingsFrom({ etcd: 'http://e:2379', prefix: 'tally' }, {}, 'd'), /must start with \//);
    assert.throws(() => new EtcdClient({ endpoints: [] }), /no etcd endpoints/);
  });
});

describe('etcd prefix ranges', () => {
  it('ends a prefix range just past every key that starts with it', () => {
    assert.equal(prefixEnd('/tally/failover/'), '/tally/failover0');
    assert.equal(prefixEnd('a'), 'b');
  });
});
